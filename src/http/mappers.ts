import { legacyPicKey, pictureOf, plannedRenditions } from '../domain/media-keys.js';
import { articlePath, mediaPath, type Article, type ArticleSummary, type Media, type RelatedItem, type Section, type Tag } from '../domain/article.js';

/** Domain objects to API shapes: absolute URLs, ISO times. */
export class ApiMapper {
  constructor(private readonly baseUrl: string) {}

  private iso(ms: number | null): string | null {
    return ms === null ? null : new Date(ms).toISOString();
  }

  media(m: Media | null) {
    if (!m) return null;
    return {
      id: m.id,
      kind: m.kind,
      key: m.key,
      url: `${this.baseUrl}${mediaPath(m.key)}`,
      mime: m.mime,
      width: m.width,
      height: m.height,
      durationMs: m.durationMs,
      posterUrl: m.posterKey ? `${this.baseUrl}${mediaPath(m.posterKey)}` : null,
      alt: m.alt,
      caption: m.caption,
      credit: m.credit,
      licence: m.licence,
      focalX: m.focalX,
      focalY: m.focalY,
      state: m.state,
      renditions: this.renditions(m),
    };
  }

  /** Every rendition of the item's picture (empty while they are being made). */
  renditions(m: Media) {
    const picture = pictureOf(m);
    if (!picture || m.state !== 'ready') return [];
    return plannedRenditions(picture).map((r) => ({ ratio: r.ratio, width: r.width, height: r.height, format: r.format, url: `${this.baseUrl}${mediaPath(r.key)}` }));
  }

  tag(t: Tag) {
    return { ...t, url: `${this.baseUrl}/topic/${encodeURIComponent(t.slug)}` };
  }

  summary(a: ArticleSummary) {
    return {
      id: a.id,
      url: `${this.baseUrl}${articlePath(a)}`,
      language: a.language,
      direction: a.direction,
      slug: a.slug,
      headline: a.headline,
      dek: a.dek,
      byline: a.byline,
      place: a.place,
      contentTypeId: a.contentTypeId,
      sectionId: a.sectionId,
      publishedAt: this.iso(a.publishedAt),
      updatedAt: new Date(a.updatedAt).toISOString(),
      leadMedia: this.media(a.leadMedia),
    };
  }

  article(a: Article) {
    return {
      ...this.summary(a),
      source: a.source,
      bodyHtml: a.bodyHtml,
      bodyText: a.bodyText,
      firstPublishedAt: this.iso(a.firstPublishedAt),
      revision: a.revision,
      tags: a.tags.map((t) => this.tag(t)),
      corrections: a.corrections.map((c) => ({ at: new Date(c.at).toISOString(), note: c.note })),
      translationGroup: a.translationGroup,
      translations: (a.translations ?? []).map((v) => ({ id: v.id, language: v.language, url: `${this.baseUrl}${articlePath(v)}` })),
    };
  }

  related(r: RelatedItem) {
    return {
      id: r.id,
      url: `${this.baseUrl}${articlePath(r)}`,
      sort: r.sort,
      pinned: r.pinned,
      contentTypeId: r.contentTypeId,
      language: r.language,
      headline: r.headline,
      publishedAt: this.iso(r.publishedAt),
      leadMedia: this.media(r.leadMedia),
    };
  }

  /** The legacy related shape read by existing apps: all strings, in this key order. */
  legacyRelated(r: RelatedItem) {
    return {
      id: String(r.id),
      sort: String(r.sort),
      contenttypeid: String(r.contentTypeId),
      pic: r.leadMedia ? `/${legacyPicKey(r.leadMedia)}` : '',
      title: r.headline,
    };
  }

  section(s: Section) {
    return { id: s.id, slug: s.slug, name: s.name, names: s.names, url: `${this.baseUrl}/section/${s.slug}` };
  }
}
