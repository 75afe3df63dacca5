import { articlePath, type RelatedItem } from '../../domain/article.js';
import { textDirection } from '../../domain/language.js';
import { uiStrings } from '../i18n.js';
import { Thumbnail } from './media-view.js';

/** The related-stories box of an article page. */
export function RelatedBox({ items, language }: { items: RelatedItem[]; language: string }) {
  if (items.length === 0) return null;
  const t = uiStrings(language);
  return (
    <aside class="related" aria-labelledby="related-title">
      <h2 id="related-title">{t.related}</h2>
      <ul>
        {items.map((item) => (
          <li key={item.id} class={item.leadMedia?.kind === 'video' ? 'related-video' : undefined} lang={item.language} dir={textDirection(item.language)}>
            <a href={articlePath(item)}>
              {item.leadMedia ? <Thumbnail media={item.leadMedia} videoLabel={t.video} labelLanguage={language} place="related" /> : null}
              <span class="related-title" dir="auto">
                {item.headline}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </aside>
  );
}
