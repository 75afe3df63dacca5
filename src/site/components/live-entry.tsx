import { renderToString } from 'preact-render-to-string';
import type { BreakingItem, LiveEntry } from '../../domain/live.js';
import { uiStrings } from '../i18n.js';
import { LeadMedia } from './media-view.js';

/**
 * One live blog entry. Pages render it, and the same markup goes to open pages over
 * Server-Sent Events (rendered once when the entry is written), so both always agree.
 */
export function LiveEntryView({ entry, language, time, anchor = true }: { entry: LiveEntry; language: string; time: string; anchor?: boolean }) {
  const t = uiStrings(language);
  // `anchor`: the timeline's entry carries `id="entry-N"` (feeds and structured data link to it); the key points' copy does not, so ids stay unique.
  return (
    <article class={entry.pinned ? 'live-entry pinned' : 'live-entry'} id={anchor ? `entry-${entry.id}` : undefined} data-entry-id={entry.id} data-created={entry.createdAt}>
      <header>
        <time dateTime={new Date(entry.createdAt).toISOString()} dir="auto">
          {time}
        </time>{' '}
        <span class="live-author">
          <bdi>{entry.author}</bdi>
        </span>
      </header>
      {entry.media ? <LeadMedia media={entry.media} /> : null}
      {entry.quote ? (
        <blockquote class="live-quote">
          <p>{entry.quote.text}</p>
          {entry.quote.source ? <cite>{entry.quote.source}</cite> : null}
        </blockquote>
      ) : null}
      {entry.bodyHtml ? <div class="live-body" dangerouslySetInnerHTML={{ __html: entry.bodyHtml }} /> : null}
      {entry.correction ? (
        <p class="live-correction">
          <strong>{t.corrected}:</strong> {entry.correction}
        </p>
      ) : null}
    </article>
  );
}

export function renderLiveEntry(entry: LiveEntry, language: string, time: string): string {
  return renderToString(<LiveEntryView entry={entry} language={language} time={time} />);
}

/** The breaking banner slot: always present (open pages fill it over SSE), filled when an item is current. */
export function BreakingBanner({ item, language }: { item: BreakingItem | null; language: string }) {
  const t = uiStrings(language);
  return (
    <div id="breaking" class="breaking" role="region" aria-label={t.breaking} data-label={t.breaking} hidden={item ? undefined : true}>
      {item ? (
        <p>
          <strong>{t.breaking}</strong>{' '}
          <a href={item.url} dir="auto">
            {item.headline}
          </a>
        </p>
      ) : null}
    </div>
  );
}
