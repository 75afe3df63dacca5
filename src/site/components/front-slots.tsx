import type { PublicFront } from '../../services/fronts/front.service.js';
import { uiStrings } from '../i18n.js';
import type { PageChrome } from '../site-context.js';
import { ArticleCard } from './article-card.js';

/** A front's lead (its picture loads first) and top stories. */
export function FrontSlots({ front, chrome, language }: { front: PublicFront; chrome: PageChrome; language: string }) {
  const t = uiStrings(language);
  return (
    <>
      {front.lead ? (
        <section class="lead-story" data-front={front.name}>
          <ArticleCard article={front.lead} chrome={chrome} size="lead" pageLanguage={language} />
        </section>
      ) : null}
      {front.top.length ? (
        <section class="block top-stories" aria-labelledby={`top-${front.name}`}>
          <h2 id={`top-${front.name}`} class="visually-hidden">
            {t.topStories}
          </h2>
          <div class="grid">
            {front.top.map((a) => (
              <ArticleCard key={a.id} article={a} chrome={chrome} pageLanguage={language} />
            ))}
          </div>
        </section>
      ) : null}
    </>
  );
}
