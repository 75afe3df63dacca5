import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';

/** One `<item>` of a WordPress export, as plain fields. */
export interface WxrItem {
  title: string;
  link: string;
  pubDate: string;
  creator: string;
  guid: string;
  content: string;
  excerpt: string;
  postId: string;
  postDate: string;
  postDateGmt: string;
  postName: string;
  status: string;
  postType: string;
  postParent: string;
  attachmentUrl: string;
  categories: { domain: string; nicename: string; name: string }[];
  meta: Record<string, string>;
}

export interface WxrAuthor {
  login: string;
  email: string;
  displayName: string;
}

export type WxrEvent =
  | { type: 'channel'; link: string; baseSiteUrl: string; baseBlogUrl: string; language: string; version: string }
  | { type: 'author'; author: WxrAuthor }
  | { type: 'term'; taxonomy: string; slug: string; name: string }
  | { type: 'item'; item: WxrItem };

const ITEM_FIELDS: Record<string, keyof WxrItem> = {
  title: 'title', link: 'link', pubDate: 'pubDate', 'dc:creator': 'creator', guid: 'guid', 'content:encoded': 'content',
  'excerpt:encoded': 'excerpt', 'wp:post_id': 'postId', 'wp:post_date': 'postDate', 'wp:post_date_gmt': 'postDateGmt',
  'wp:post_name': 'postName', 'wp:status': 'status', 'wp:post_type': 'postType', 'wp:post_parent': 'postParent',
  'wp:attachment_url': 'attachmentUrl',
};

function emptyItem(): WxrItem {
  return { title: '', link: '', pubDate: '', creator: '', guid: '', content: '', excerpt: '', postId: '', postDate: '', postDateGmt: '', postName: '', status: '', postType: '', postParent: '', attachmentUrl: '', categories: [], meta: {} };
}

/** Bare `&` that real exports leave in URLs (not well-formed XML): escape them as WordPress's own importer tolerates. */
function fixAmpersands(text: string): string {
  return text.replace(/&(?!(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)/g, '&amp;');
}

/**
 * Streams a WXR 1.0–1.2 file as events: memory holds one item at a time, whatever the
 * file's size. CDATA and entities are decoded; bare `&` is tolerated.
 */
export async function* readWxr(path: string): AsyncGenerator<WxrEvent> {
  const parser = new SaxesParser({ xmlns: false });
  const queue: WxrEvent[] = [];
  const stack: string[] = [];
  let text = '';
  let item: WxrItem | null = null;
  let author: Partial<WxrAuthor> | null = null;
  let term: Record<string, string> | null = null;
  let category: { domain: string; nicename: string } | null = null;
  let metaKey = '';
  const channel = { link: '', baseSiteUrl: '', baseBlogUrl: '', language: '', version: '' };
  let channelSent = false;
  let error: Error | null = null;

  parser.on('opentag', (tag) => {
    stack.push(tag.name);
    text = '';
    if (tag.name === 'item') {
      if (!channelSent) {
        queue.push({ type: 'channel', ...channel });
        channelSent = true;
      }
      item = emptyItem();
    } else if (tag.name === 'wp:author' && !item) author = {};
    else if ((tag.name === 'wp:category' || tag.name === 'wp:tag' || tag.name === 'wp:term') && !item) term = {};
    else if (tag.name === 'category' && item) category = { domain: String(tag.attributes.domain ?? ''), nicename: String(tag.attributes.nicename ?? '') };
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', (tag) => {
    const name = tag.name;
    stack.pop();
    const value = text;
    text = '';
    const parent = stack.at(-1);
    if (item) {
      if (name === 'item') {
        queue.push({ type: 'item', item });
        item = null;
      } else if (name === 'category' && category) {
        item.categories.push({ ...category, name: value.trim() });
        category = null;
      } else if (name === 'wp:meta_key') metaKey = value.trim();
      else if (name === 'wp:meta_value') item.meta[metaKey] = value;
      else if (parent === 'item' && ITEM_FIELDS[name]) (item[ITEM_FIELDS[name]] as string) = name === 'content:encoded' || name === 'excerpt:encoded' ? value : value.trim();
      return;
    }
    if (author) {
      if (name === 'wp:author') {
        queue.push({ type: 'author', author: { login: author.login ?? '', email: author.email ?? '', displayName: author.displayName ?? '' } });
        author = null;
      } else if (name === 'wp:author_login') author.login = value.trim();
      else if (name === 'wp:author_email') author.email = value.trim();
      else if (name === 'wp:author_display_name') author.displayName = value.trim();
      return;
    }
    if (term) {
      if (name === 'wp:category' || name === 'wp:tag' || name === 'wp:term') {
        const taxonomy = name === 'wp:category' ? 'category' : name === 'wp:tag' ? 'post_tag' : (term.term_taxonomy ?? '');
        queue.push({ type: 'term', taxonomy, slug: term.category_nicename ?? term.tag_slug ?? term.term_slug ?? '', name: term.cat_name ?? term.tag_name ?? term.term_name ?? '' });
        term = null;
      } else term[name.replace(/^wp:/, '')] = value.trim();
      return;
    }
    if (parent === 'channel') {
      if (name === 'link') channel.link = value.trim();
      else if (name === 'wp:base_site_url') channel.baseSiteUrl = value.trim();
      else if (name === 'wp:base_blog_url') channel.baseBlogUrl = value.trim();
      else if (name === 'language') channel.language = value.trim();
      else if (name === 'wp:wxr_version') channel.version = value.trim();
    }
  });
  parser.on('error', (e) => {
    error ??= e;
  });

  let carry = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    // Hold back a possible entity cut at the chunk's end so the ampersand fix sees it whole.
    let data = carry + (chunk as string);
    const amp = data.lastIndexOf('&');
    if (amp >= 0 && amp > data.length - 12 && !data.slice(amp).includes(';')) {
      carry = data.slice(amp);
      data = data.slice(0, amp);
    } else carry = '';
    parser.write(fixAmpersands(data));
    if (error) throw new Error(`${path}: not a readable WordPress export: ${(error as Error).message}`);
    while (queue.length) yield queue.shift()!;
  }
  parser.write(fixAmpersands(carry)).close();
  if (error) throw new Error(`${path}: not a readable WordPress export: ${(error as Error).message}`);
  if (!channelSent) queue.push({ type: 'channel', ...channel });
  while (queue.length) yield queue.shift()!;
}
