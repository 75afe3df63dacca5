import { Fragment } from 'preact';
import { articlePath, type Article, type RelatedItem } from '../../domain/article.js';
import { leadPicture } from '../../services/distribution/share-images.js';
import { articleDescription, articleJsonLd } from '../../services/distribution/structured-data.js';
import { Layout } from '../components/layout.js';
import { LiveBlogSection, type LiveBlogView } from '../components/live-blog.js';
import { liveBlogJsonLd } from '../../services/distribution/live-structured-data.js';
import { LeadMedia } from '../components/media-view.js';
import { ShareMeta, siteFacts } from '../components/share-meta.js';
import { RelatedBox } from '../components/related-box.js';
import { contentTypeLabel, uiStrings } from '../i18n.js';
import { textDirection } from '../../domain/language.js';
import { languageEndonym } from '../components/language-switcher.js';
import { sectionName, type PageChrome } from '../site-context.js';

/** `/news/{id}/{slug}`: headline, dek, zoned dateline, byline, lead media, body, tags, related. */
export function ArticlePage({ chrome, article, related, live }: { chrome: PageChrome; article: Article; related: RelatedItem[]; live?: LiveBlogView }) {
  const t = uiStrings(article.language);
  const f = chrome.site.formatter(article.language);
  const section = chrome.sections.find((s) => s.id === article.sectionId);
  const type = chrome.contentTypes.find((c) => c.id === article.contentTypeId);
  const { urls } = chrome.site;
  const canonical = `${urls.origin(article.language)}${articlePath(article)}`;
  // This story in every language it is published in: hreflang links, the switcher, "Also in".
  const others = article.translations ?? [];
  const alternates = others.length
    ? [article, ...others].map((v) => ({ language: v.language, href: `${urls.origin(v.language)}${articlePath(v)}` })).sort((a, b) => urls.languages.indexOf(a.language) - urls.languages.indexOf(b.language))
    : [];
  const site = siteFacts(chrome.site, article.language);
  const sectionLabel = section ? sectionName(section, article.language) : undefined;
  const picture = article.leadMedia ? leadPicture(article.leadMedia, chrome.site.config.baseUrl) : null;
  const description = articleDescription(article);
  const head = (
    <ShareMeta
      type="article"
      title={article.headline}
      description={description}
      url={canonical}
      image={picture ? { ...picture, alt: article.leadMedia?.alt ?? '' } : null}
      article={{
        publishedTime: article.publishedAt !== null ? site.iso(article.firstPublishedAt ?? article.publishedAt) : undefined,
        modifiedTime: site.iso(Math.max(article.updatedAt, article.publishedAt ?? 0)),
        section: sectionLabel,
        tags: article.tags.map((t) => t.name),
      }}
      jsonLd={
        live
          ? liveBlogJsonLd(site, article, articleJsonLd(site, article, section && sectionLabel ? { section, name: sectionLabel } : null), { startedAt: live.startedAt, endedAt: live.endedAt, entries: live.entries })
          : articleJsonLd(site, article, section && sectionLabel ? { section, name: sectionLabel } : null)
      }
    />
  );
  const feeds = section ? [{ target: { kind: 'section' as const, slug: section.slug }, title: sectionLabel ?? section.name }] : [];
  return (
    <Layout chrome={chrome} language={article.language} title={article.headline} description={description} canonical={canonical} head={head} feeds={feeds} alternates={alternates}>
      <div class="article-layout">
        <article class="story">
          <header>
            <p class="kicker">
              {section ? <a href={urls.path(article.language, `/section/${section.slug}`)}>{sectionName(section, article.language)}</a> : null}
              {type && type.name !== 'news' ? <span class="type"> · {contentTypeLabel(article.language, type)}</span> : null}
            </p>
            {/* Headlines, names and datelines may mix scripts (a Latin name in an Arabic headline): each is isolated. */}
            <h1 dir="auto">{article.headline}</h1>
            {article.dek ? <p class="dek" dir="auto">{article.dek}</p> : null}
            {others.length ? (
              <nav class="translations" aria-label={t.otherVersions}>
                {t.otherVersions}:{' '}
                {others.map((v, i) => (
                  <Fragment key={v.id}>
                    {i > 0 ? ' · ' : null}
                    <a href={`${urls.origin(v.language)}${articlePath(v)}`} hrefLang={v.language} lang={v.language} dir={textDirection(v.language)} rel="alternate">
                      {languageEndonym(v.language)}
                    </a>
                  </Fragment>
                ))}
              </nav>
            ) : null}
            <p class="meta">
              {article.byline ? (
                <span class="byline">
                  {t.by} <bdi>{article.byline}</bdi>
                </span>
              ) : null}
              {article.source ? (
                <span class="source">
                  <bdi>{article.source}</bdi>
                </span>
              ) : null}
              {article.place ? (
                <span class="place">
                  <bdi>{article.place}</bdi>
                </span>
              ) : null}
            </p>
            {article.publishedAt !== null ? (
              <time class="dateline" datetime={f.iso(article.publishedAt)} dir="auto">
                {f.format(article.publishedAt)}
              </time>
            ) : null}
          </header>
          {article.leadMedia ? <LeadMedia media={article.leadMedia} /> : null}
          <div class="body" dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />
          {live ? <LiveBlogSection chrome={chrome} live={live} language={article.language} /> : null}
          {article.corrections.length ? (
            <aside class="corrections" aria-label={t.correction}>
              {article.corrections.map((c) => (
                <p key={c.at} class="correction">
                  <strong>{t.correction}</strong> <time datetime={f.iso(c.at)}>{f.format(c.at)}</time>: {c.note}
                </p>
              ))}
            </aside>
          ) : null}
          {article.tags.length ? (
            <nav class="tags" aria-label={t.tags}>
              <ul>
                {article.tags.map((tag) => (
                  <li key={tag.id}>
                    <a href={urls.path(article.language, `/topic/${encodeURIComponent(tag.slug)}`)} rel="tag" dir="auto">
                      {tag.name}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </article>
        <RelatedBox items={related} language={article.language} />
      </div>
    </Layout>
  );
}
