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
  /**
   * Refresh the related lists a changed article should now enter or leave (its
   * neighbours), off the editor's request (RELATED_NEIGHBOURS=job). Payload:
   * `{ articleId }`; key `neighbours:<id>`.
   */
  RelatedNeighbours = 'related.neighbours',
}

export const JOB_NAMES: readonly JobName[] = Object.values(JobName);
