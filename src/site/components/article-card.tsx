import { articlePath, type ArticleSummary } from '../../domain/article.js';
import { textDirection } from '../../domain/language.js';
import { uiStrings } from '../i18n.js';
import type { PageChrome } from '../site-context.js';
import { Thumbnail, type ThumbnailPlace } from './media-view.js';

export interface ArticleCardProps {
  article: ArticleSummary;
  chrome: PageChrome;
  size?: 'lead' | 'small';
  /** The page's language: interface strings (the video badge) follow it, not the story's. */
  pageLanguage?: string;
  /** Where a small card sits (its picture's `sizes`). */
  place?: Exclude<ThumbnailPlace, 'lead'>;
}

/** A story in a list: thumbnail, headline link, dek, dateline. A lead card's picture loads first. */
export function ArticleCard({ article, chrome, size = 'small', pageLanguage, place = 'grid' }: ArticleCardProps) {
  const f = chrome.site.formatter(article.language);
  const Heading = size === 'lead' ? 'h2' : 'h3';
  const uiLanguage = pageLanguage ?? article.language;
  return (
    <article class={`card card-${size}`} lang={article.language} dir={textDirection(article.language)}>
      {article.leadMedia ? (
        <a href={articlePath(article)} tabIndex={-1} aria-hidden="true">
          <Thumbnail
            media={article.leadMedia}
            videoLabel={uiStrings(uiLanguage).video}
            labelLanguage={uiLanguage === article.language ? undefined : uiLanguage}
            place={size === 'lead' ? 'lead' : place}
            first={size === 'lead'}
          />
        </a>
      ) : null}
      <div class="card-text">
        <Heading class="card-headline">
          <a href={articlePath(article)} dir="auto">
            {article.headline}
          </a>
        </Heading>
        {article.dek && size === 'lead' ? <p class="dek">{article.dek}</p> : null}
        {article.publishedAt !== null ? (
          <time class="dateline" datetime={f.iso(article.publishedAt)} dir="auto">
            {f.format(article.publishedAt)}
          </time>
        ) : null}
      </div>
    </article>
  );
}
