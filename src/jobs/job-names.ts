/**
 * Every kind of background job. Each has exactly one idempotent handler in
 * `job-handlers.ts`; the runner refuses to start when one is missing.
 */
export enum JobName {
  /** Make renditions of an uploaded image (or a video's poster). Payload: `{ mediaId }`. */
  MediaRenditions = 'media.renditions',
  /** Publish a scheduled article when its time comes. Payload: `{ articleId }`; key `publish:<id>`. */
  PublishScheduled = 'article.publish-scheduled',
  /**
   * An embargoed article's time has come: it enters other articles' related lists (and
   * leaves nothing stale). Payload: `{ articleId }`; key `due:<id>`.
   */
  ArticleDue = 'article.due',
  /** Send one webhook delivery (Standard Webhooks), retried with backoff. Payload: `{ deliveryId }`; key `webhook:<id>`. */
  WebhookDeliver = 'webhook.deliver',
  /** Send surrogate-key purges to the CDN (Varnish, HTTP endpoint) again after a failure. Payload: `{ keys }`. */
  CdnPurge = 'cache.cdn-purge',
  /**
   * Refresh the related lists a changed article should now enter or leave (its
   * neighbours), off the editor's request (RELATED_NEIGHBOURS=job). Payload:
   * `{ articleId }`; key `neighbours:<id>`.
   */
  RelatedNeighbours = 'related.neighbours',
  /** Read one wire source into the Incoming queue and schedule its next read. Payload: `{ sourceId }`; key `wire:<id>`. */
  WirePoll = 'wire.poll',
  /** A breaking banner's expiry time: tell open pages and purge cached pages. Payload: `{ language, id }`; key `breaking-expiry:<id>`. */
  BreakingExpired = 'live.breaking-expired',
  /**
   * Follow a committed article change readers can see: re-index it, refresh the related
   * lists it touches and purge the pages it changed, off the editor's request
   * (ARTICLE_INDEXING=job). Payload: `{ articleId }`; key `changed:<id>`.
   */
  ArticleChanged = 'article.changed',
  /** Send one Web Push alert to one browser subscription (404/410 removes it). Payload: `{ subscriptionId, message }`. */
  PushSend = 'push.send',
  /** Delete live events older than LIVE_EVENTS_KEEP_HOURS and schedule the next run (hourly). Payload `{}`; key `live-prune`. */
  LiveEventsPrune = 'live.events-prune',
}

/** Jobs that wait on other people's servers: run by their own runners so they never hold up publishing. */
export const WEBHOOK_JOB_NAMES: readonly JobName[] = [JobName.WebhookDeliver, JobName.PushSend];

export const JOB_NAMES: readonly JobName[] = Object.values(JobName);
