/**
 * Told after an article was created, edited, published, unpublished, killed or had its
 * related list changed, once the change is committed. The search index and the
 * related-stories engine listen, so readers see a change at once without a job queue.
 * Whoever changes articles calls `PublishingService.notifyChanged(id)` after commit.
 */
export interface ArticleChangeListener {
  /** `related`: only the article's pinned related list changed (its content did not). */
  articleChanged(articleId: number, change?: ArticleChange): Promise<void>;
}

export type ArticleChange = 'content' | 'related';
