import type { PublicFront } from '../../services/fronts/front.service.js';
import { uiStrings } from '../i18n.js';
import { sectionName, type PageChrome } from '../site-context.js';
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

/** A front's blocks in order, each with its heading (linked to the section or topic page); empty blocks are left out. */
export function FrontBlocks({ front, chrome, language }: { front: PublicFront; chrome: PageChrome; language: string }) {
  return (
    <>
      {front.blocks.map((b, i) => {
        if (!b.articles.length) return null;
        const id = `block-${front.name}-${i + 1}`;
        const title = b.title ?? (b.section ? sectionName(b.section, language) : (b.tag?.name ?? ''));
        const href = b.section ? `/section/${b.section.slug}` : b.tag ? `/topic/${b.tag.slug}` : null;
        return (
          <section key={id} class={`block front-block front-block-${b.kind}`} aria-labelledby={id}>
            <h2 id={id}>{href ? <a href={href}>{title}</a> : title}</h2>
            <div class="grid">
              {b.articles.map((a) => (
                <ArticleCard key={a.id} article={a} chrome={chrome} pageLanguage={language} />
              ))}
            </div>
          </section>
        );
      })}
    </>
  );
}
