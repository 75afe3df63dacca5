import { useState } from 'preact/hooks';
import { fromLocalInput, toLocalInput } from '../format.js';
import { capabilities, useSession } from '../session.js';
import { PublishChecklist } from './publish-checklist.js';
import type { AdminArticle, TransitionAction } from '../types.js';
import { t } from '../i18n.js';

interface Props {
  article: AdminArticle;
  busy: boolean;
  onTransition: (action: TransitionAction, extra?: { at?: string; note?: string }) => void;
  onDelete: () => void;
  /** Saves pending edits before the publish checklist runs; false when that failed. */
  prepare: () => Promise<boolean>;
}

type Pending = 'publish' | 'schedule' | 'correct' | 'kill' | 'delete' | 'embargo' | null;

/** Workflow buttons allowed by the user's role and the article's status. */
export function ArticleActions({ article, busy, onTransition, onDelete, prepare }: Props) {
  const { user } = useSession();
  const cap = capabilities(user, article);
  const [pending, setPending] = useState<Pending>(null);
  const [at, setAt] = useState(toLocalInput(article.scheduledAt));
  const [note, setNote] = useState('');
  const s = article.status;

  // The workflow of the contract: which action starts from which status.
  const canSubmit = s === 'draft' && (cap.own || cap.editorial);
  const canReturn = (s === 'submitted' || (s === 'scheduled' && cap.publishes)) && (cap.own || cap.editorial);
  const canPublish = cap.publishes && (s === 'draft' || s === 'submitted' || s === 'scheduled' || s === 'unpublished');
  const canSchedule = canPublish;
  const canUnpublish = cap.publishes && s === 'published';
  const canCorrect = cap.publishes && s === 'published';
  const canEmbargo = cap.publishes && s !== 'killed';
  const canKill = cap.kills && s !== 'killed';
  const canDelete = s === 'draft' && (cap.own || cap.editorial);

  const none = !canSubmit && !canReturn && !canPublish && !canSchedule && !canUnpublish && !canCorrect && !canEmbargo && !canKill && !canDelete;
  return (
    <div class="workflow">
      <h2 class="panel-title">{t('articleActions.workflow')}</h2>
      {none && <p class="muted">{s === 'killed' ? t('articleActions.thisArticleWasKilled') : t('articleActions.yourRoleCannotChangeThis')}</p>}
      <div class="button-row">
        {canPublish && <button type="button" class="primary" disabled={busy} aria-expanded={pending === 'publish'} onClick={() => setPending(pending === 'publish' ? null : 'publish')}>{s === 'scheduled' ? t('articleActions.publishNow') : t('articleActions.publish')}</button>}
        {canSubmit && <button type="button" disabled={busy} onClick={() => onTransition('submit')}>{t('articleActions.submitForReview')}</button>}
        {canSchedule && <button type="button" disabled={busy} aria-expanded={pending === 'schedule'} onClick={() => setPending(pending === 'schedule' ? null : 'schedule')}>{t('articleActions.schedule')}</button>}
        {canReturn && <button type="button" disabled={busy} onClick={() => onTransition('return')}>{t('articleActions.returnToDraft')}</button>}
        {canUnpublish && <button type="button" disabled={busy} onClick={() => onTransition('unpublish')}>{t('articleActions.unpublish')}</button>}
        {canCorrect && <button type="button" disabled={busy} aria-expanded={pending === 'correct'} onClick={() => setPending(pending === 'correct' ? null : 'correct')}>{t('articleActions.correct')}</button>}
        {canEmbargo && <button type="button" disabled={busy} aria-expanded={pending === 'embargo'} onClick={() => setPending(pending === 'embargo' ? null : 'embargo')}>{t('articleActions.embargo')}</button>}
        {canKill && <button type="button" class="danger" disabled={busy} aria-expanded={pending === 'kill'} onClick={() => setPending(pending === 'kill' ? null : 'kill')}>{t('articleActions.kill')}</button>}
        {canDelete && <button type="button" class="danger" disabled={busy} aria-expanded={pending === 'delete'} onClick={() => setPending(pending === 'delete' ? null : 'delete')}>{t('articleActions.delete')}</button>}
      </div>
      {pending === 'publish' && (
        <PublishChecklist articleId={article.id} prepare={prepare} confirmLabel={t('articleActions.yesPublishNow')} busy={busy} onCancel={() => setPending(null)} onConfirm={() => { onTransition('publish'); setPending(null); }} />
      )}
      {pending === 'schedule' && (
        <PublishChecklist articleId={article.id} prepare={prepare} confirmLabel={t('articleActions.yesScheduleIt')} busy={busy || !at} onCancel={() => setPending(null)} onConfirm={() => { onTransition('schedule', { at: fromLocalInput(at) }); setPending(null); }}>
          <label>
            {t('articleActions.publishAtYourLocalTime')}
            <input type="datetime-local" required value={at} onInput={(e) => setAt(e.currentTarget.value)} />
          </label>
        </PublishChecklist>
      )}
      {pending === 'embargo' && (
        <form
          class="stack sub-form"
          onSubmit={(e) => {
            e.preventDefault();
            onTransition(pending, { at: fromLocalInput(at) });
            setPending(null);
          }}
        >
          <label>
            {t('articleActions.embargoUntilYourLocalTime')}
            <input type="datetime-local" required value={at} onInput={(e) => setAt(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy}>{t('articleActions.setEmbargo')}</button>
        </form>
      )}
      {pending === 'correct' && (
        <form
          class="stack sub-form"
          onSubmit={(e) => {
            e.preventDefault();
            onTransition('correct', { note: note.trim() });
            setNote('');
            setPending(null);
          }}
        >
          <label>
            {t('articleActions.correctionNoteShownToReaders')}
            <textarea required rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy || !note.trim()}>{t('articleActions.publishCorrection')}</button>
        </form>
      )}
      {pending === 'kill' && (
        <div class="sub-form" role="group" aria-label={t('articleActions.confirmKill')}>
          <p>{t('articleActions.killingRemovesTheArticleFrom')}</p>
          <button type="button" class="danger" disabled={busy} onClick={() => { onTransition('kill'); setPending(null); }}>{t('articleActions.yesKillTheArticle')}</button>{' '}
          <button type="button" class="secondary" onClick={() => setPending(null)}>{t('articleActions.cancel')}</button>
        </div>
      )}
      {pending === 'delete' && (
        <div class="sub-form" role="group" aria-label={t('articleActions.confirmDelete')}>
          <p>{t('articleActions.deleteThisDraftAndIts')}</p>
          <button type="button" class="danger" disabled={busy} onClick={onDelete}>{t('articleActions.yesDeleteTheDraft')}</button>{' '}
          <button type="button" class="secondary" onClick={() => setPending(null)}>{t('articleActions.cancel')}</button>
        </div>
      )}
    </div>
  );
}
