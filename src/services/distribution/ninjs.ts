import type { Article, ContentType, Media, Tag, TagKind } from '../../domain/article.js';
import { mediaPath } from '../../domain/article.js';
import { pictureOf, plannedRenditions } from '../../domain/media-keys.js';

/**
 * Articles as IPTC ninjs ("News in JSON") documents for partners. Version 2.1 is the
 * main shape; `toNinjs3` renames its properties to 3.0's camelCase (the structures we
 * use are otherwise the same). Dateline's fields map as follows: headline → headlines
 * (role main), dek → descriptions (role summary), body_html → bodies (text/html),
 * byline → by, place → located, tags → subjects / people / organisations / places,
 * lead media → associations (with renditions), source → infosources, corrections →
 * descriptions (role correction).
 */
export type NinjsDocument = Record<string, unknown> & { uri: string };

export const NINJS_SCHEMA_URIS = {
  '2.1': 'http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json',
  '3.0': 'http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json',
} as const;
export type NinjsVersion = keyof typeof NINJS_SCHEMA_URIS;

export interface NinjsContext {
  baseUrl: string;
  siteName: string;
}

const RENDITION_MIME = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' } as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** The stable identifier of an article: its id URL, which redirects to the current slug. */
export function articleUri(baseUrl: string, id: number): string {
  return `${baseUrl}/news/${id}`;
}

export function mediaUri(baseUrl: string, id: number): string {
  return `${baseUrl}/api/v1/media/${id}`;
}

function standard(version: NinjsVersion) {
  return { name: 'ninjs', version, schema: NINJS_SCHEMA_URIS[version] };
}

function countWords(text: string): number {
  const words = text.trim().split(/\s+/u).filter(Boolean);
  return words.length;
}

/** A media item's own ninjs renditions: the original, then every planned crop/width/format once renditions are ready. */
export function mediaRenditions(m: Media, baseUrl: string): Record<string, unknown>[] {
  const original: Record<string, unknown> = { name: 'original', href: `${baseUrl}${mediaPath(m.key)}`, contenttype: m.mime };
  if (m.width) original.width = m.width;
  if (m.height) original.height = m.height;
  if (m.durationMs) original.duration = m.durationMs / 1000;
  const out = [original];
  if (m.posterKey) out.push({ name: 'poster', href: `${baseUrl}${mediaPath(m.posterKey)}`, contenttype: 'image/jpeg' });
  const picture = pictureOf(m);
  if (picture && m.state === 'ready') {
    for (const r of plannedRenditions(picture)) {
      out.push({
        name: `${r.ratio}-${r.width}-${r.format}`,
        href: `${baseUrl}${mediaPath(r.key)}`,
        contenttype: RENDITION_MIME[r.format],
        width: r.width,
        height: r.height,
        title: `${r.ratio} crop, ${r.width} px wide`,
      });
    }
  }
  return out;
}

/** A media item as a ninjs 2.1 document (also used, with a name, as an association). */
export function mediaToNinjs(m: Media, ctx: NinjsContext): NinjsDocument {
  const doc: NinjsDocument = {
    uri: mediaUri(ctx.baseUrl, m.id),
    standard: standard('2.1'),
    type: m.kind === 'video' ? 'video' : 'picture',
    representationtype: 'full',
    pubstatus: 'usable',
    renditions: mediaRenditions(m, ctx.baseUrl),
  };
  const descriptions = [];
  if (m.caption) descriptions.push({ role: 'caption', value: m.caption });
  if (m.alt) descriptions.push({ role: 'alternative', value: m.alt });
  if (descriptions.length) doc.descriptions = descriptions;
  if (m.credit) doc.by = m.credit;
  if (m.licence) doc.usageterms = m.licence;
  return doc;
}

const TAG_FIELD: Record<TagKind, 'subjects' | 'people' | 'organisations' | 'places'> = {
  topic: 'subjects',
  person: 'people',
  organisation: 'organisations',
  place: 'places',
};

function tagEntry(t: Tag, baseUrl: string) {
  return { name: t.name, uri: `${baseUrl}/topic/${encodeURIComponent(t.slug)}`, literal: t.slug };
}

/** A visible article as a full ninjs 2.1 text item. */
export function articleToNinjs(a: Article, ctx: NinjsContext, contentType?: ContentType): NinjsDocument {
  const doc: NinjsDocument = {
    uri: articleUri(ctx.baseUrl, a.id),
    standard: standard('2.1'),
    type: 'text',
    representationtype: 'full',
    version: String(a.revision),
    versioncreated: iso(a.updatedAt),
    pubstatus: 'usable',
    language: a.language,
    slugline: a.slug,
    headlines: [{ role: 'main', value: a.headline }],
    copyrightholder: ctx.siteName,
    altids: [{ role: 'dateline-id', value: String(a.id) }],
  };
  if (a.firstPublishedAt !== null) doc.firstcreated = iso(a.firstPublishedAt);
  if (a.publishedAt !== null && a.firstPublishedAt === null) doc.firstcreated = iso(a.publishedAt);
  if (contentType) {
    doc.profile = contentType.name;
    doc.genres = [{ name: contentType.label, literal: String(contentType.id) }];
  }
  const descriptions: { role: string; value: string }[] = [];
  if (a.dek) descriptions.push({ role: 'summary', value: a.dek });
  for (const c of a.corrections) descriptions.push({ role: 'correction', value: `${iso(c.at)}: ${c.note}` });
  if (descriptions.length) doc.descriptions = descriptions;
  doc.bodies = [
    { role: 'main', contenttype: 'text/html', charcount: a.bodyText.length, wordcount: countWords(a.bodyText), value: a.bodyHtml },
    { role: 'main', contenttype: 'text/plain', charcount: a.bodyText.length, wordcount: countWords(a.bodyText), value: a.bodyText },
  ];
  if (a.byline) doc.by = a.byline;
  if (a.place) doc.located = a.place;
  if (a.source) doc.infosources = [{ name: a.source, role: 'source' }];
  for (const t of a.tags) {
    const field = TAG_FIELD[t.kind];
    ((doc[field] ??= []) as unknown[]).push(tagEntry(t, ctx.baseUrl));
  }
  if (a.leadMedia) doc.associations = [{ name: 'leadmedia', ...mediaToNinjs(a.leadMedia, ctx) }];
  if (a.translationGroup) {
    // The story's group as an alternative id; each other language's version as an association (3.0 adds rel "translation").
    (doc.altids as unknown[]).push({ role: 'translation-group', value: a.translationGroup });
    for (const v of a.translations ?? []) {
      ((doc.associations ??= []) as unknown[]).push({ name: `translation-${v.language}`, uri: articleUri(ctx.baseUrl, v.id), type: 'text', representationtype: 'partial', language: v.language });
    }
  }
  return doc;
}

/**
 * What partners get for an item that was published and then taken down: the same
 * identity with pubstatus `canceled`, and no content.
 */
export function canceledNinjs(a: Pick<Article, 'id' | 'revision' | 'updatedAt' | 'firstPublishedAt' | 'language'>, ctx: NinjsContext): NinjsDocument {
  const doc: NinjsDocument = {
    uri: articleUri(ctx.baseUrl, a.id),
    standard: standard('2.1'),
    type: 'text',
    representationtype: 'partial',
    version: String(a.revision),
    versioncreated: iso(a.updatedAt),
    pubstatus: 'canceled',
    language: a.language,
    altids: [{ role: 'dateline-id', value: String(a.id) }],
  };
  if (a.firstPublishedAt !== null) doc.firstcreated = iso(a.firstPublishedAt);
  return doc;
}

/** 2.1 property names that 3.0 spells in camelCase (everything else is unchanged). */
const RENAMED_IN_3: Record<string, string> = {
  representationtype: 'representationType',
  firstcreated: 'firstCreated',
  versioncreated: 'versionCreated',
  contentcreated: 'contentCreated',
  pubstatus: 'pubStatus',
  copyrightholder: 'copyrightHolder',
  copyrightnotice: 'copyrightNotice',
  usageterms: 'usageTerms',
  ednote: 'edNote',
  embargoed: 'embargoedUntil',
  altids: 'altIds',
  infosources: 'infoSources',
  contenttype: 'contentType',
  charcount: 'charCount',
  wordcount: 'wordCount',
  sizeinbytes: 'sizeInBytes',
  contactinfo: 'contactInfo',
  geojson: 'geoJSON',
  rightsinfo: 'rightsInfo',
  trustindicators: 'trustIndicators',
};

function renameKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [RENAMED_IN_3[k] ?? k, renameKeys(v)]));
  }
  return value;
}

/** The same document in ninjs 3.0 (camelCase properties, its own standard block). */
export function toNinjs3(doc: NinjsDocument): NinjsDocument {
  const out = renameKeys(doc) as NinjsDocument;
  const fix = (d: Record<string, unknown>) => {
    if (d.standard) d.standard = standard('3.0');
  };
  fix(out);
  for (const a of (out.associations as Record<string, unknown>[] | undefined) ?? []) {
    fix(a);
    if (typeof a.name === 'string' && a.name.startsWith('translation-')) a.rel = 'translation';
  }
  return out;
}
