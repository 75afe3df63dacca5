import { useContext, useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import { formatTime } from '../format.js';
import { atLeast, SessionContext } from '../session.js';
import type { BreakingOverview, LiveBlog, LiveBlogList, LiveEntry, LiveEntryBody } from '../types.js';
import { t } from '../i18n.js';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Plain text typed by an editor → paragraphs. */
const paragraphs = (text: string) => text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');

/** The breaking banner of each language (editors and owners). */
function BreakingPanel() {
  const [state, setState] = useState<BreakingOverview | null>(null);
  const [language, setLanguage] = useState('');
  const [headline, setHeadline] = useState('');
  const [url, setUrl] = useState('');
  const [articleId, setArticleId] = useState('');
  const [minutes, setMinutes] = useState('120');
  const [alert, setAlert] = useState(false);
  const [error, setError] = useState('');
  const load = () =>
    api.get<BreakingOverview>('/api/admin/breaking').then((s) => {
      setState(s);
      setLanguage((l) => l || s.languages[0] || 'en');
    }, (err: unknown) => setError(errorMessage(err)));
  useEffect(() => void load(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      await api.put(`/api/admin/breaking/${language}`, {
        ...(articleId.trim() ? { articleId: Number(articleId) } : {}),
        ...(headline.trim() ? { headline: headline.trim() } : {}),
        ...(url.trim() ? { url: url.trim() } : {}),
        expiresInMinutes: Number(minutes),
        alert,
      });
      setHeadline('');
      setUrl('');
      setArticleId('');
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const clear = async (lang: string) => {
    setError('');
    try {
      await api.del(`/api/admin/breaking/${lang}`);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section class="panel" aria-labelledby="breaking-title">
      <h2 class="panel-title" id="breaking-title">{t('liveDesk.breakingBanner')}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <ul class="breaking-now">
        {state?.languages.map((lang) => {
          const item = state.current.find((c) => c.language === lang);
          return (
            <li key={lang}>
              <strong>{lang}</strong>:{' '}
              {item ? (
                <>
                  <a href={item.url} dir="auto">{item.headline}</a> <small>{t('liveDesk.untilTime', { time: formatTime(item.expiresAt) })}</small>{' '}
                  <button type="button" onClick={() => void clear(lang)}>{t('articleList.clear')}</button>
                </>
              ) : (
                <span>{t('liveDesk.none')}</span>
              )}
            </li>
          );
        })}
      </ul>
      <form onSubmit={submit} class="breaking-form">
        <label>
          {t('articleList.language')}{' '}
          <select value={language} onChange={(e) => setLanguage((e.target as HTMLSelectElement).value)}>
            {state?.languages.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </label>
        <label>
          {t('liveDesk.storyId')} <small>{t('liveDesk.aPublishedStoryOrGive')}</small>
          <input inputMode="numeric" value={articleId} onInput={(e) => setArticleId((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('articleList.headline')} <input maxLength={200} dir="auto" value={headline} onInput={(e) => setHeadline((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('richTextEditor.link')} <small>{t('liveDesk.pathOrHttps')}</small> <input value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('liveDesk.minutesShown')} <input type="number" min={1} max={10080} value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          <input type="checkbox" checked={alert} onChange={(e) => setAlert((e.target as HTMLInputElement).checked)} /> {t('liveDesk.sendAsAnAlertWebhook')}
        </label>
        <button type="submit">{t('liveDesk.showBanner')}</button>
      </form>
    </section>
  );
}

/** Entries of one live blog: compose, pin, correct, delete, end. Several editors can work at once. */
function BlogEditor({ id, onChanged }: { id: number; onChanged: () => void }) {
  const [blog, setBlog] = useState<LiveBlog | null>(null);
  const [kind, setKind] = useState<LiveEntryBody['kind']>('text');
  const [text, setText] = useState('');
  const [mediaId, setMediaId] = useState('');
  const [source, setSource] = useState('');
  const [pinned, setPinned] = useState(false);
  const [alert, setAlert] = useState(false);
  const [error, setError] = useState('');
  const load = () => api.get<LiveBlog>(`/api/admin/live-blogs/${id}/entries`).then(setBlog, (err: unknown) => setError(errorMessage(err)));
  useEffect(() => {
    void load();
    // Others post too: refresh the list now and then.
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, [id]);
  const act = async (work: () => Promise<unknown>) => {
    setError('');
    try {
      await work();
      await load();
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const post = (e: Event) => {
    e.preventDefault();
    const body: LiveEntryBody = { kind, pinned, alert };
    if (kind === 'quote') Object.assign(body, { quoteText: text.trim(), quoteSource: source.trim() });
    else if (text.trim()) body.bodyHtml = paragraphs(text);
    if ((kind === 'picture' || kind === 'video') && mediaId.trim()) body.mediaId = Number(mediaId);
    void act(async () => {
      await api.post(`/api/admin/live-blogs/${id}/entries`, body);
      setText('');
      setSource('');
      setMediaId('');
      setPinned(false);
      setAlert(false);
    });
  };
  const row = (e: LiveEntry) => (
    <li key={e.id} class="live-desk-entry">
      <small>{formatTime(e.createdAt)} · {e.author} · {e.kind}{e.pinned ? t('liveDesk.keyPoint') : ''}</small>
      {e.quote ? <blockquote dir="auto">{e.quote.text} — {e.quote.source}</blockquote> : null}
      {e.bodyHtml ? <div dir="auto" dangerouslySetInnerHTML={{ __html: e.bodyHtml }} /> : null}
      {e.correction ? <p><em>{t('liveDesk.corrected')} {e.correction}</em></p> : null}
      <div class="actions">
        <button type="button" onClick={() => void act(() => api.patch(`/api/admin/live-entries/${e.id}`, { pinned: !e.pinned }))}>{e.pinned ? t('liveDesk.unpin') : t('liveDesk.pinAsKeyPoint')}</button>
        <button
          type="button"
          onClick={() => {
            const note = prompt(t('liveDesk.correctionPrompt'));
            if (note?.trim()) void act(() => api.patch(`/api/admin/live-entries/${e.id}`, { correction: note.trim() }));
          }}
        >
          {t('liveDesk.correct')}
        </button>
        <button type="button" class="danger" onClick={() => confirm(t('liveDesk.confirmDelete')) && void act(() => api.del(`/api/admin/live-entries/${e.id}`))}>{t('mediaDetail.delete')}</button>
      </div>
    </li>
  );
  if (!blog) return <p>{error || t('articleList.loading')}</p>;
  return (
    <section class="panel" aria-labelledby="blog-title">
      <h2 class="panel-title" id="blog-title">{t('liveDesk.liveBlogNumber', { id })} {blog.ended ? t('liveDesk.ended') : ''}</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <button type="button" onClick={() => void act(() => api.put(`/api/admin/live-blogs/${id}/state`, { ended: !blog.ended }))}>{blog.ended ? t('liveDesk.reopenCoverage') : t('liveDesk.endCoverage')}</button>
      {!blog.ended && (
        <form onSubmit={post} class="live-compose">
          <label>
            {t('tagsEditor.kind')}{' '}
            <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as LiveEntryBody['kind'])}>
              <option value="text">{t('liveDesk.text')}</option>
              <option value="picture">{t('liveDesk.picture')}</option>
              <option value="video">{t('mediaDetail.video')}</option>
              <option value="quote">{t('richTextEditor.quote')}</option>
            </select>
          </label>
          <label>
            {kind === 'quote' ? t('liveDesk.quotedWords') : t('liveDesk.text')}
            <textarea rows={4} dir="auto" value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          </label>
          {kind === 'quote' && (
            <label>
              {t('liveDesk.whoSaidIt')} <input dir="auto" value={source} onInput={(e) => setSource((e.target as HTMLInputElement).value)} />
            </label>
          )}
          {(kind === 'picture' || kind === 'video') && (
            <label>
              {t('liveDesk.mediaId')} <small>{t('liveDesk.fromTheMediaLibrary')}</small> <input inputMode="numeric" value={mediaId} onInput={(e) => setMediaId((e.target as HTMLInputElement).value)} />
            </label>
          )}
          <label><input type="checkbox" checked={pinned} onChange={(e) => setPinned((e.target as HTMLInputElement).checked)} /> {t('liveDesk.keyPointPinned')}</label>
          <label><input type="checkbox" checked={alert} onChange={(e) => setAlert((e.target as HTMLInputElement).checked)} /> {t('liveDesk.sendAsAnAlertWebhook')}</label>
          <button type="submit">{t('liveDesk.postEntry')}</button>
        </form>
      )}
      <p>{t('liveDesk.entriesNewestFirst', { count: blog.total })}</p>
      <ul class="live-desk-entries">{blog.items.map(row)}</ul>
    </section>
  );
}

/** /admin/live: the breaking banner and live blogs. */
export function LiveDeskScreen() {
  const session = useContext(SessionContext);
  const [blogs, setBlogs] = useState<LiveBlogList['items']>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [articleId, setArticleId] = useState('');
  const [error, setError] = useState('');
  const load = () => api.get<LiveBlogList>('/api/admin/live-blogs').then((r) => setBlogs(r.items), (err: unknown) => setError(errorMessage(err)));
  useEffect(() => void load(), []);
  const start = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      await api.post('/api/admin/live-blogs', { articleId: Number(articleId) });
      setSelected(Number(articleId));
      setArticleId('');
      await load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section>
      <h1>{t('liveDesk.liveDesk')}</h1>
      {session && atLeast(session.user, 'editor') && <BreakingPanel />}
      <section class="panel" aria-labelledby="blogs-title">
        <h2 class="panel-title" id="blogs-title">{t('liveDesk.liveBlogs')}</h2>
        {error && <p class="error" role="alert">{error}</p>}
        <ul>
          {blogs.map((b) => (
            <li key={b.id}>
              <button type="button" class="link-button" onClick={() => setSelected(b.id)} aria-pressed={selected === b.id}>
                {b.headline}
              </button>{' '}
              <small>({b.language}, {t('liveDesk.entryCount', { count: b.entries })}{b.ended ? t('liveDesk.ended2') : ''})</small>
            </li>
          ))}
        </ul>
        <form onSubmit={start}>
          <label>
            {t('liveDesk.makeAnArticleLiveId')} <input inputMode="numeric" value={articleId} onInput={(e) => setArticleId((e.target as HTMLInputElement).value)} />
          </label>{' '}
          <button type="submit">{t('liveDesk.startLiveBlog')}</button>
        </form>
      </section>
      {selected !== null && <BlogEditor key={selected} id={selected} onChanged={() => void load()} />}
    </section>
  );
}
