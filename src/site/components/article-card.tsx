import { articlePath, type ArticleSummary } from '../../domain/article.js';
import { textDirection } from '../../domain/language.js';
import { uiStrings } from '../i18n.js';
import type { PageChrome } from '../site-context.js';
import { Thumbnail } from './media-view.js';

/** A story in a list: thumbnail, headline link, dek, dateline. */
export function ArticleCard({ article, chrome, size = 'small' }: { article: ArticleSummary; chrome: PageChrome; size?: 'lead' | 'small' }) {
  const f = chrome.site.formatter(article.language);
  const Heading = size === 'lead' ? 'h2' : 'h3';
  return (
    <article class={`card card-${size}`} lang={article.language} dir={textDirection(article.language)}>
      {article.leadMedia ? (
        <a href={articlePath(article)} tabIndex={-1} aria-hidden="true">
          <Thumbnail media={article.leadMedia} videoLabel={uiStrings(article.language).video} />
        </a>
      ) : null}
      <div class="card-text">
        <Heading class="card-headline">
          <a href={articlePath(article)}>{article.headline}</a>
        </Heading>
        {article.dek && size === 'lead' ? <p class="dek">{article.dek}</p> : null}
        {article.publishedAt !== null ? (
          <time class="dateline" datetime={f.iso(article.publishedAt)}>
            {f.format(article.publishedAt)}
          </time>
        ) : null}
      </div>
    </article>
  );
}
