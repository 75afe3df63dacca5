/** Events an endpoint can subscribe to. */
export const WEBHOOK_EVENTS = [
  'article.published',
  'article.updated',
  'article.unpublished',
  'article.corrected',
  'article.killed',
  'media.ready',
  /** A breaking banner marked as an alert (data: language, headline, url). */
  'breaking.alert',
  /** A live blog entry marked as an alert (data: language, blogId, entryId, text, url). */
  'live.alert',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent only by "Send test event" to one endpoint, whatever it subscribes to. */
export const TEST_EVENT = 'webhook.test';

export function isWebhookEvent(value: string): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/**
 * The event a committed newsroom change sends, or null. `visible`: readers can see
 * the article now; `wasPublished`: it was public at some point.
 */
export function eventOfChange(change: string, article: { status: string; visible: boolean; wasPublished: boolean }): WebhookEvent | null {
  switch (change) {
    case 'publish':
      return article.status === 'published' ? 'article.published' : null;
    case 'save':
      return article.status === 'published' && article.visible ? 'article.updated' : null;
    case 'correct':
      return article.status === 'published' && article.visible ? 'article.corrected' : null;
    case 'unpublish':
      return article.wasPublished ? 'article.unpublished' : null;
    case 'kill':
      return article.wasPublished ? 'article.killed' : null;
    default:
      return null;
  }
}
