import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { ImportDraft } from '../../domain/import-draft.js';

/** One entry of an RSS 1.0/2.0, Atom or JSON Feed document, normalized. */
export interface FeedEntry {
  guid: string;
  title: string;
  link: string;
  html: string;
  summary: string;
  author: string;
  publishedAt: number | null;
  categories: string[];
  language: string;
}

export interface ParsedFeed {
  title: string;
  language: string;
  entries: FeedEntry[];
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  cdataPropName: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['item', 'entry', 'category', 'link', 'author', 'dc:subject', 'dc:creator'].includes(name),
});

type Node = Record<string, unknown>;
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v).trim();
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'object') return text((v as Node)['#text'] ?? (v as Node).name ?? (v as Node)['@term'] ?? '');
  return '';
};
const date = (...values: unknown[]): number | null => {
  for (const v of values) {
    const ms = Date.parse(text(v));
    if (!Number.isNaN(ms)) return ms;
  }
  return null;
};

/** Reads an RSS, Atom or JSON Feed document; throws with a readable message when it is none of them. */
export function parseFeed(body: string): ParsedFeed {
  const trimmed = body.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(JSON.parse(trimmed) as Node);
  const doc = xml.parse(trimmed) as Node;
  const rss = doc.rss as Node | undefined;
  if (rss?.channel) {
    const channel = (Array.isArray(rss.channel) ? rss.channel[0] : rss.channel) as Node;
    return { title: text(channel.title), language: text(channel.language), entries: list(channel.item).map((i) => rssEntry(i as Node, text(channel.language))) };
  }
  const rdf = doc['rdf:RDF'] as Node | undefined;
  if (rdf) {
    const channel = (rdf.channel ?? {}) as Node;
    return { title: text(channel.title), language: text(channel['dc:language']), entries: list(rdf.item).map((i) => rssEntry(i as Node, text(channel['dc:language']))) };
  }
  const feed = doc.feed as Node | undefined;
  if (feed) {
    const language = text(feed['@xml:lang']);
    return { title: text(feed.title), language, entries: list(feed.entry).map((e) => atomEntry(e as Node, language)) };
  }
  throw new Error('not an RSS, Atom or JSON Feed document');
}

function rssEntry(i: Node, language: string): FeedEntry {
  const html = text(i['content:encoded']) || text(i.description);
  return {
    guid: text(i.guid) || text(i.link) || text(i['@rdf:about']),
    title: text(i.title),
    link: text(i.link),
    html,
    summary: text(i.description) !== html ? text(i.description).replace(/<[^>]+>/g, '').trim() : '',
    author: text(i['dc:creator']) || text(i.author),
    publishedAt: date(i.pubDate, i['dc:date']),
    categories: [...list(i.category), ...list(i['dc:subject'])].map(text).filter(Boolean),
    language: text(i['dc:language']) || language,
  };
}

function atomEntry(e: Node, language: string): FeedEntry {
  const links = list(e.link) as Node[];
  const alternate = links.find((l) => !l['@rel'] || l['@rel'] === 'alternate') ?? links[0];
  return {
    guid: text(e.id) || text(alternate?.['@href']),
    title: text(e.title),
    link: text(alternate?.['@href']),
    html: text(e.content) || text(e.summary),
    summary: text(e.content) ? text(e.summary).replace(/<[^>]+>/g, '').trim() : '',
    author: list(e.author).map((a) => text((a as Node).name ?? a)).filter(Boolean).join(', '),
    publishedAt: date(e.published, e.updated, e.issued, e.modified),
    categories: list(e.category).map((c) => text((c as Node)['@term'] ?? c)).filter(Boolean),
    language: text(e['@xml:lang']) || language,
  };
}

function parseJsonFeed(doc: Node): ParsedFeed {
  if (!String(doc.version ?? '').includes('jsonfeed.org')) throw new Error('a JSON document, but not a JSON Feed (no jsonfeed.org version)');
  const language = text(doc.language);
  return {
    title: text(doc.title),
    language,
    entries: list(doc.items).map((raw) => {
      const i = raw as Node;
      const authors = [...list(i.authors), ...list(i.author)].map((a) => text((a as Node).name)).filter(Boolean);
      return {
        guid: text(i.id) || text(i.url),
        title: text(i.title),
        link: text(i.url),
        html: text(i.content_html) || (text(i.content_text) ? text(i.content_text).split(/\n\s*\n/).map((p) => `<p>${escape(p)}</p>`).join('') : ''),
        summary: text(i.summary),
        author: authors.join(', '),
        publishedAt: date(i.date_published, i.date_modified),
        categories: list(i.tags).map(text).filter(Boolean),
        language: text(i.language) || language,
      };
    }),
  };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A feed entry as an import draft; `source` names the feed (the agency). */
export function feedEntryDraft(entry: FeedEntry, feed: { title: string }, defaults: { language: string; contentTypeId: number; section: { slug: string; name: string } }): ImportDraft {
  const repairs: string[] = [];
  let headline = entry.title.replace(/<[^>]+>/g, '').trim();
  if (!headline) {
    headline = (entry.summary || entry.html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim().slice(0, 90) || 'Untitled';
    repairs.push('the entry had no title: used the start of its text');
  }
  if (entry.publishedAt === null) repairs.push('the entry has no date: published at import time');
  const key = entry.guid || entry.link || createHash('sha1').update(`${headline}\n${entry.html}`).digest('hex');
  return {
    sourceKey: `feed:${key}`,
    kind: 'feed',
    language: entry.language.split(/[,;]/)[0]?.trim() || defaults.language,
    contentTypeId: defaults.contentTypeId,
    section: defaults.section,
    status: 'published',
    headline,
    dek: entry.summary.slice(0, 500),
    bodyHtml: /<[a-z]/i.test(entry.html) ? entry.html : entry.html.split(/\n\s*\n/).filter(Boolean).map((p) => `<p>${escape(p)}</p>`).join(''),
    byline: entry.author,
    source: feed.title,
    publishedAt: entry.publishedAt,
    tags: entry.categories.slice(0, 20).map((name) => ({ kind: 'topic' as const, name })),
    repairs,
  };
}
