import { jsonLdScript, type SiteFacts } from '../../services/distribution/structured-data.js';
import type { SiteContext } from '../site-context.js';
import type { SharedImage } from '../../services/distribution/share-images.js';

export interface ShareMetaProps {
  title: string;
  description: string;
  /** Absolute canonical URL. */
  url: string;
  type?: 'website' | 'article';
  image?: (SharedImage & { alt: string }) | null;
  /** Article facts (`article:*` Open Graph properties), RFC 3339 times. */
  article?: { publishedTime?: string; modifiedTime?: string; section?: string; tags?: string[] };
  /** JSON-LD documents, each in its own script element. */
  jsonLd?: Record<string, unknown>[];
}

/** Open Graph and Twitter card tags, and JSON-LD, for a page's `<head>`. */
export function ShareMeta({ title, description, url, type = 'website', image, article, jsonLd }: ShareMetaProps) {
  return (
    <>
      <meta property="og:type" content={type} />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={url} />
      {image ? (
        <>
          <meta property="og:image" content={image.url} />
          <meta property="og:image:width" content={String(image.width)} />
          <meta property="og:image:height" content={String(image.height)} />
          {image.alt ? <meta property="og:image:alt" content={image.alt} /> : null}
        </>
      ) : null}
      {article?.publishedTime ? <meta property="article:published_time" content={article.publishedTime} /> : null}
      {article?.modifiedTime ? <meta property="article:modified_time" content={article.modifiedTime} /> : null}
      {article?.section ? <meta property="article:section" content={article.section} /> : null}
      {(article?.tags ?? []).map((t) => (
        <meta key={t} property="article:tag" content={t} />
      ))}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      {image ? <meta name="twitter:image" content={image.url} /> : null}
      {image?.alt ? <meta name="twitter:image:alt" content={image.alt} /> : null}
      {(jsonLd ?? []).map((doc, i) => (
        <script key={i} type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdScript(doc) }} />
      ))}
    </>
  );
}

/** The site facts structured data needs, with times in the site zone's offset. */
export function siteFacts(site: SiteContext, language: string): SiteFacts {
  const f = site.formatter(language);
  return { siteName: site.config.siteName, baseUrl: site.config.baseUrl, description: site.description, iso: (ms) => f.iso(ms) };
}
