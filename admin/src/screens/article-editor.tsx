import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../api.js';
import { ArticleActions } from '../components/article-actions.js';
import { ConflictMerge } from '../components/conflict-merge.js';
import { MediaPicker } from '../components/media-picker.js';
import { RelatedPicker } from '../components/related-picker.js';
import { RichTextEditor } from '../components/rich-text-editor.js';
import { SaveIndicator, type SaveStatus } from '../components/save-indicator.js';
import { TEXT_LIMITS } from '../../../src/domain/limits.js';
import { TagsEditor } from '../components/tags-editor.js';
import { TranslatePanel } from '../components/translate-panel.js';
import { bodyFromForm, emptyForm, fieldLabel, formFromArticle, sameForm, type EditorForm } from '../editor-form.js';
import { formatTime, mediaSrc, statusLabel } from '../format.js';
import { clearLocalDraft, loadLocalDraft, saveLocalDraft, type LocalDraft } from '../local-drafts.js';
import { navigate } from '../router.js';
import { capabilities, useSession } from '../session.js';
import { LANGUAGES, directionOf, useTaxonomy } from '../taxonomy.js';
import type { AdminArticle, MergeProposal, TransitionAction } from '../types.js';
import { t } from '../i18n.js';

const MAX_HEADLINE_LENGTH = TEXT_LIMITS.headline;

const AUTOSAVE_DELAY_MS = 1500;
/** Live articles are changed on purpose (Save), never by autosave. */
const AUTOSAVE_STATUSES = new Set(['draft', 'submitted', 'unpublished', 'killed']);

interface Conflict {
  theirs: AdminArticle;
  mine: EditorForm;
  proposal: MergeProposal;
}

/** What the editor is told after a workflow action. */
function transitionMessage(a: AdminArticle): string {
  if (a.status === 'published' && a.publishedAt && Date.parse(a.publishedAt) > Date.now()) return t('articleEditor.embargoedUntil', { time: formatTime(a.publishedAt) });
  if (a.status === 'published') return t('articleEditor.publishedLive');
  if (a.status === 'scheduled') return t('articleEditor.scheduledForTime', { time: formatTime(a.scheduledAt) });
  return t('articleEditor.doneNow', { status: statusLabel(a.status) });
}

export function ArticleEditorScreen({ articleId }: { articleId: number | null }) {
  const { user } = useSession();
  const { sections, contentTypes } = useTaxonomy();
  const [article, setArticle] = useState<AdminArticle | null>(null);
  // A new article's byline starts as the signed-in writer's name.
  const [form, setForm] = useState<EditorForm | null>(articleId === null ? emptyForm({ byline: user?.name ?? '' }) : null);
  const [loadError, setLoadError] = useState('');
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const [resetKey, setResetKey] = useState(0);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [restorable, setRestorable] = useState<LocalDraft | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [leadPicker, setLeadPicker] = useState(false);

  const formRef = useRef(form);
  const articleRef = useRef<AdminArticle | null>(null);
  const idRef = useRef<number | null>(articleId);
  const revisionRef = useRef<number | null>(null);
  const editVersion = useRef(0);
  const savedVersion = useRef(0);
  const saving = useRef<Promise<boolean> | null>(null);
  const inConflict = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const draftKey = () => idRef.current ?? 'new';
  const dirty = () => editVersion.current !== savedVersion.current;
  const autosaves = () => !articleRef.current || AUTOSAVE_STATUSES.has(articleRef.current.status);

  const showArticle = (a: AdminArticle) => {
    articleRef.current = a;
    revisionRef.current = a.revision;
    setArticle(a);
  };

  // Load the article (or a blank form) and offer back text left on this device.
  useEffect(() => {
    (async () => {
      let serverForm = emptyForm({ byline: user?.name ?? '' });
      if (articleId !== null) {
        try {
          const a = await api.get<AdminArticle>(`/api/admin/articles/${articleId}`);
          showArticle(a);
          serverForm = formFromArticle(a);
          formRef.current = serverForm;
          setForm(serverForm);
          setResetKey((k) => k + 1);
        } catch (err) {
          setLoadError(errorMessage(err));
          return;
        }
      }
      const local = loadLocalDraft(articleId ?? 'new');
      if (local && !sameForm(local.form, serverForm)) setRestorable(local);
      else if (local) clearLocalDraft(articleId ?? 'new');
    })();
  }, [articleId]);

  // A new article starts in the first section.
  useEffect(() => {
    const first = sections[0];
    if (formRef.current && formRef.current.sectionId === 0 && first) {
      formRef.current = { ...formRef.current, sectionId: first.id };
      setForm(formRef.current);
    }
  }, [sections, form]);

  const persist = useCallback(async (mode: 'autosave' | 'save'): Promise<boolean> => {
    clearTimeout(timer.current);
    if (inConflict.current) return false;
    while (saving.current) await saving.current;
    if (!dirty() && idRef.current !== null) return true;
    const version = editVersion.current;
    const f = formRef.current!;
    if (!f.headline.trim() || !f.sectionId) {
      setStatus({ kind: 'error', message: t('articleEditor.needHeadlineAndSection') });
      return false;
    }
    setStatus({ kind: 'saving' });
    const run = (async () => {
      try {
        let saved: AdminArticle;
        if (idRef.current === null) {
          saved = await api.post<AdminArticle>('/api/admin/articles', bodyFromForm(f));
          clearLocalDraft('new');
          idRef.current = saved.id;
          // Stay on this screen (no remount); only the address changes.
          history.replaceState(null, '', `/admin/articles/${saved.id}`);
        } else {
          const body = { baseRevision: revisionRef.current, ...bodyFromForm(f) };
          saved = mode === 'autosave'
            ? await api.post<AdminArticle>(`/api/admin/articles/${idRef.current}/autosave`, body)
            : await api.put<AdminArticle>(`/api/admin/articles/${idRef.current}`, body);
        }
        showArticle(saved);
        savedVersion.current = version;
        if (editVersion.current === version) {
          clearLocalDraft(draftKey());
          setStatus({ kind: 'saved', at: Date.now(), autosave: mode === 'autosave' });
        } else {
          saveLocalDraft(draftKey(), { form: formRef.current!, baseRevision: revisionRef.current, savedAt: Date.now() });
          setStatus({ kind: 'unsaved' });
        }
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 409 && (err.code === 'REVISION_CONFLICT' || err.problem.current !== undefined)) {
          let theirs = err.problem.current as AdminArticle | undefined;
          if (!theirs && idRef.current !== null) theirs = await api.get<AdminArticle>(`/api/admin/articles/${idRef.current}`).catch(() => undefined);
          // The server's three-way merge: from the 409 itself, or asked for.
          let proposal = (err.problem as { merge?: unknown }).merge ? (err.problem as unknown as MergeProposal) : undefined;
          if (!proposal && idRef.current !== null) {
            proposal = await api.post<MergeProposal>(`/api/admin/articles/${idRef.current}/merge`, { baseRevision: revisionRef.current, ...bodyFromForm(formRef.current!) }).catch(() => undefined);
          }
          if (theirs && proposal) {
            inConflict.current = true;
            setConflict({ theirs, mine: formRef.current!, proposal });
            setStatus({ kind: 'conflict' });
            return false;
          }
        }
        setStatus({
          kind: 'error',
          message: err instanceof ApiError && err.status === 401 ? t('articleEditor.sessionEnded') : t('articleEditor.notSaved', { error: errorMessage(err) }),
        });
        return false;
      } finally {
        saving.current = null;
      }
    })();
    saving.current = run;
    return run;
  }, []);

  const scheduleAutosave = () => {
    clearTimeout(timer.current);
    if (autosaves()) timer.current = setTimeout(() => void persist('autosave'), AUTOSAVE_DELAY_MS);
  };

  const update = (patch: Partial<EditorForm>) => {
    const next = { ...formRef.current!, ...patch };
    formRef.current = next;
    setForm(next);
    editVersion.current++;
    saveLocalDraft(draftKey(), { form: next, baseRevision: revisionRef.current, savedAt: Date.now() });
    if (!inConflict.current) {
      setStatus({ kind: 'unsaved', live: !autosaves() });
      scheduleAutosave();
    }
  };

  // Flush pending edits when leaving the screen; warn before closing the tab with unsaved text.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (dirty()) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      clearTimeout(timer.current);
      if (dirty() && autosaves() && !inConflict.current) void persist('autosave');
    };
  }, [persist]);

  const restoreLocal = () => {
    if (!restorable) return;
    if (restorable.baseRevision !== null) revisionRef.current = restorable.baseRevision;
    setRestorable(null);
    setResetKey((k) => k + 1);
    update(restorable.form);
  };

  const resolveConflict = async (merged: EditorForm) => {
    if (!conflict) return;
    inConflict.current = false;
    revisionRef.current = conflict.proposal.revision;
    setConflict(null);
    setResetKey((k) => k + 1);
    update(merged);
    setBusy(true);
    const ok = await persist('save');
    setBusy(false);
    if (ok) setMessage({ text: t('articleEditor.mergedSaved') });
  };

  /** Saves pending edits (the publish checklist runs on the saved version). */
  const prepare = async (): Promise<boolean> => (dirty() || idRef.current === null ? persist('save') : true);

  const transition = async (action: TransitionAction, extra: { at?: string; note?: string } = {}) => {
    clearTimeout(timer.current);
    setBusy(true);
    setMessage(null);
    try {
      if (dirty() || idRef.current === null) {
        if (!(await persist('save'))) return;
      }
      const res = await api.post<AdminArticle>(`/api/admin/articles/${idRef.current}/transitions`, { action, ...extra });
      showArticle(res);
      // The status line speaks of the new state, not of the save before it.
      if (!dirty()) setStatus({ kind: 'idle' });
      setMessage({ text: transitionMessage(res) });
    } catch (err) {
      setMessage({ text: errorMessage(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await api.del(`/api/admin/articles/${idRef.current}`);
      clearLocalDraft(draftKey());
      editVersion.current = savedVersion.current;
      navigate('/');
    } catch (err) {
      setMessage({ text: errorMessage(err), error: true });
      setBusy(false);
    }
  };

  if (loadError) return <section><h1>{t('articleEditor.article')}</h1><p class="error" role="alert">{loadError}</p></section>;
  if (!form) return <p role="status">{t('articleEditor.loadingTheArticle')}</p>;

  const dir = directionOf(form.language);
  const headlineLength = [...form.headline.trim()].length;
  const cap = article ? capabilities(user, article) : { editable: true };
  const id = article?.id ?? null;
  const field = (name: 'byline' | 'source' | 'place') => (
    <label>
      {fieldLabel(name)}
      <input name={name} dir="auto" value={form[name]} disabled={!cap.editable} onInput={(e) => update({ [name]: e.currentTarget.value })} />
    </label>
  );

  return (
    <section class="editor" aria-labelledby="editor-title">
      <div class="page-head">
        <h1 id="editor-title">{id ? t('articleEditor.editArticle') : t('app.newArticle')}</h1>
        <SaveIndicator status={status} />
      </div>
      {restorable && (
        <div class="notice" role="alert">
          <p>{t('articleEditor.unsavedTextKept', { time: formatTime(new Date(restorable.savedAt).toISOString()) })}</p>
          <button type="button" class="primary" onClick={restoreLocal}>{t('articleEditor.restoreMyUnsavedText')}</button>{' '}
          <button type="button" class="secondary" onClick={() => { clearLocalDraft(draftKey()); setRestorable(null); }}>{t('articleEditor.discardIt')}</button>
        </div>
      )}
      {message && <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>{message.text}</p>}
      {conflict && (
        <ConflictMerge
          mine={conflict.mine}
          theirs={conflict.theirs}
          proposal={conflict.proposal}
          busy={busy}
          onResolve={(m) => void resolveConflict(m)}
        />
      )}
      <div class="editor-grid" hidden={!!conflict}>
        <div class="editor-main">
          <label>
            {t('articleList.headline')}
            <input class="headline-input" name="headline" required dir={dir} lang={form.language} value={form.headline} disabled={!cap.editable} aria-describedby="headline-count" aria-invalid={headlineLength > MAX_HEADLINE_LENGTH} onInput={(e) => update({ headline: e.currentTarget.value })} />
          </label>
          <p id="headline-count" class={`char-count${headlineLength > MAX_HEADLINE_LENGTH ? ' over' : ''}`} aria-live="polite">
            {headlineLength > MAX_HEADLINE_LENGTH ? t('articleEditor.headlineTooLong', { max: MAX_HEADLINE_LENGTH, length: headlineLength }) : t('articleEditor.characters', { count: headlineLength, max: MAX_HEADLINE_LENGTH })}
          </p>
          <label>
            {t('articleEditor.dekStandfirst')}
            <textarea name="dek" rows={2} dir={dir} lang={form.language} value={form.dek} disabled={!cap.editable} onInput={(e) => update({ dek: e.currentTarget.value })} />
          </label>
          <div class="field">
            <span class="field-label" id="body-label">{t('articleEditor.body')}</span>
            <RichTextEditor html={form.bodyHtml} resetKey={resetKey} dir={dir} lang={form.language} label={t('articleEditor.body')} onChange={(html) => update({ bodyHtml: html })} />
          </div>
          <div class="button-row">
            <button type="button" class="primary" disabled={busy || !cap.editable} onClick={() => void persist('save')}>{t('articleEditor.save')}</button>
            {id && <a class="button secondary" href={article?.previewUrl || `/admin/preview/${id}`} target="_blank" rel="noopener">{t('articleEditor.preview')}</a>}
            {id && <a class="button secondary" href={`/admin/articles/${id}/history`}>{t('articleEditor.history')}</a>}
            {article?.publicUrl && article.status === 'published' && <a class="button secondary" href={article.publicUrl} target="_blank" rel="noopener">{t('articleEditor.viewOnSite')}</a>}
          </div>
          {id && dirty() && <p class="muted">{t('articleEditor.previewShowsTheLastSaved')}</p>}
        </div>
        <aside class="editor-side" aria-label={t('articleEditor.articleSettings')}>
          {article && (
            <div class="panel">
              <p>
                {t('articleEditor.status')} <span class={`status status-${article.status}`}>{statusLabel(article.status)}</span> {t('articleEditor.revisionNumber', { number: article.revision })}
              </p>
              {article.scheduledAt && <p>{t('articleEditor.scheduledFor')} {formatTime(article.scheduledAt)}</p>}
              {article.publishedAt && <p>{t('articleEditor.published')} {formatTime(article.publishedAt)}</p>}
              <ArticleActions article={article} busy={busy} prepare={prepare} onTransition={(a, x) => void transition(a, x)} onDelete={() => void remove()} />
              {article.corrections.length > 0 && (
                <>
                  <h3>{t('articleEditor.corrections')}</h3>
                  <ul>{article.corrections.map((c) => <li>{formatTime(c.at)}: {c.note}</li>)}</ul>
                </>
              )}
            </div>
          )}
          {article && <TranslatePanel article={article} />}
          <div class="panel stack">
            <label>
              {t('articleList.section')}
              <select name="section" value={String(form.sectionId)} disabled={!cap.editable} onChange={(e) => update({ sectionId: Number(e.currentTarget.value) })}>
                {form.sectionId === 0 && <option value="0">{t('articleEditor.choose')}</option>}
                {sections.map((s) => <option value={String(s.id)}>{s.name}</option>)}
              </select>
            </label>
            <label>
              {t('articleEditor.contentType')}
              <select name="contentType" value={String(form.contentTypeId)} disabled={!cap.editable} onChange={(e) => update({ contentTypeId: Number(e.currentTarget.value) })}>
                {!contentTypes.some((c) => c.id === form.contentTypeId) && <option value={String(form.contentTypeId)}>#{form.contentTypeId}</option>}
                {contentTypes.map((c) => <option value={String(c.id)}>{c.label || c.name}</option>)}
              </select>
            </label>
            <label>
              {t('articleList.language')}
              <select name="language" value={form.language} disabled={!cap.editable} onChange={(e) => update({ language: e.currentTarget.value })}>
                {!LANGUAGES.some((l) => l.tag === form.language) && <option value={form.language}>{form.language}</option>}
                {LANGUAGES.map((l) => <option value={l.tag}>{l.name}</option>)}
              </select>
            </label>
            {field('byline')}
            {field('source')}
            {field('place')}
          </div>
          <div class="panel">
            <h2 class="panel-title">{t('articleEditor.leadMedia')}</h2>
            {form.leadMedia ? (
              <figure class="lead-preview">
                <img src={mediaSrc(form.leadMedia.kind === 'video' ? form.leadMedia.posterUrl : form.leadMedia.url)} alt={form.leadMedia.alt} />
                <figcaption>{form.leadMedia.caption || form.leadMedia.alt}</figcaption>
              </figure>
            ) : (
              <p class="muted">{t('articleEditor.none')}</p>
            )}
            <div class="button-row">
              <button type="button" disabled={!cap.editable} onClick={() => setLeadPicker(true)}>{form.leadMedia ? t('articleEditor.changeLeadMedia') : t('articleEditor.chooseLeadMedia')}</button>
              {form.leadMedia && <button type="button" class="secondary" disabled={!cap.editable} onClick={() => update({ leadMedia: null })}>{t('articleEditor.removeLeadMedia')}</button>}
            </div>
          </div>
          <TagsEditor tags={form.tags} onChange={(tags) => update({ tags })} />
          <RelatedPicker articleId={id} related={form.related} onChange={(related) => update({ related })} />
        </aside>
      </div>
      {leadPicker && <MediaPicker title={t('articleEditor.chooseLeadMedia')} onPick={(m) => { setLeadPicker(false); update({ leadMedia: m }); }} onClose={() => setLeadPicker(false)} />}
    </section>
  );
}
