import type { LiveEntry } from '../../domain/live.js';
import { fill, formatNumber, plural, uiStrings } from '../i18n.js';
import type { PageChrome } from '../site-context.js';
import { LiveEntryView } from './live-entry.js';
import { liveTime } from '../../domain/live.js';
import { liveFeedPath } from '../../services/distribution/live-feed.js';

export interface LiveBlogView {
  articleId: number;
  endedAt: number | null;
  pinned: LiveEntry[];
  entries: LiveEntry[];
  page: number;
  totalPages: number;
  path: string;
  /** When the coverage started (JSON-LD coverageStartTime). */
  startedAt: number;
  /** Entries when the page was rendered ("12 updates"). */
  total?: number;
}

/**
 * The entries of a live blog under its article: the ended notice, key points (pinned),
 * then the entries newest first, paged with plain links. Works without JavaScript; the
 * live client (data-live-blog) adds new entries at the top of page 1.
 */
export function LiveBlogSection({ chrome, live, language }: { chrome: PageChrome; live: LiveBlogView; language: string }) {
  const t = uiStrings(language);
  const tz = chrome.site.config.timeZone;
  const entry = (e: LiveEntry, anchor = true) => <LiveEntryView key={e.id} entry={e} language={language} time={liveTime(e.createdAt, language, tz)} anchor={anchor} />;
  return (
    <section class="live-blog" data-live-blog={live.articleId} data-live-page={live.page} aria-label={t.liveNow}>
      <p class="live-ended" hidden={live.endedAt === null ? true : undefined}>
        {t.liveEnded}
      </p>
      <p class="live-feed">
        <a href={liveFeedPath(live.articleId, 'rss')} type="application/rss+xml">RSS</a> · <a href={liveFeedPath(live.articleId, 'atom')} type="application/atom+xml">Atom</a>
      </p>
      {live.total !== undefined ? <p class="live-count">{plural(language, 'entries', live.total)}</p> : null}
      <p class="live-badge" hidden={live.endedAt !== null ? true : undefined}>
        {t.liveNow}
      </p>
      <section class="live-key-points" hidden={live.pinned.length ? undefined : true}>
        <h2>{t.keyPoints}</h2>
        <div class="live-pinned">{live.pinned.map((e) => entry(e, false))}</div>
      </section>
      <div class="live-entries">{live.entries.map((e) => entry(e))}</div>
      {live.totalPages > 1 ? (
        <nav class="pager" aria-label={t.page}>
          {live.page > 1 ? (
            <a rel="prev" href={live.page === 2 ? live.path : `${live.path}?page=${live.page - 1}`}>
              {t.previous}
            </a>
          ) : null}{' '}
          <span>{fill(t.pageOf, { page: formatNumber(language, live.page), total: formatNumber(language, live.totalPages) })}</span>{' '}
          {live.page < live.totalPages ? (
            <a rel="next" href={`${live.path}?page=${live.page + 1}`}>
              {t.next}
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
