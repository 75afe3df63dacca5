/**
 * Article bodies as sequences of blocks, the unit the three-way merge and the
 * revision diff work on: each top-level element (paragraph, heading, quote, figure…)
 * is one block, and each item of a top-level list is one block of its own, so edits
 * to different list items merge like edits to different paragraphs.
 *
 * Works on sanitized body HTML (balanced tags, quoted attributes); pure, no DOM.
 */

/** One block: its HTML and, for list items, the list it sits in (`ul` or `ol`). */
export interface BodyBlock {
  list: 'ul' | 'ol' | null;
  html: string;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;

/** Top-level nodes of an HTML fragment: elements (with their inner HTML) and bare text. */
function topLevel(html: string): { tag: string | null; outer: string; inner: string }[] {
  const nodes: { tag: string | null; outer: string; inner: string }[] = [];
  let depth = 0;
  let start = 0;
  let innerStart = 0;
  let openTag = '';
  let last = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    const selfClosing = VOID.has(name) || /\/\s*$/.test(m[3] ?? '');
    if (depth === 0) {
      const text = html.slice(last, m.index);
      if (text.trim()) nodes.push({ tag: null, outer: text.trim(), inner: text.trim() });
      if (closing) {
        // A stray closing tag at the top: keep it as text so nothing is lost.
        nodes.push({ tag: null, outer: m[0], inner: m[0] });
        last = TAG.lastIndex;
        continue;
      }
      if (selfClosing) {
        nodes.push({ tag: name, outer: m[0], inner: '' });
        last = TAG.lastIndex;
        continue;
      }
      depth = 1;
      start = m.index;
      innerStart = TAG.lastIndex;
      openTag = name;
      continue;
    }
    if (selfClosing) continue;
    depth += closing ? -1 : 1;
    if (depth === 0) {
      nodes.push({ tag: openTag, outer: html.slice(start, TAG.lastIndex), inner: html.slice(innerStart, m.index) });
      last = TAG.lastIndex;
    }
  }
  if (depth > 0) nodes.push({ tag: null, outer: html.slice(start).trim(), inner: '' });
  else {
    const rest = html.slice(last);
    if (rest.trim()) nodes.push({ tag: null, outer: rest.trim(), inner: rest.trim() });
  }
  return nodes;
}

/** The body as blocks; a list's items become one block each. */
export function splitBlocks(html: string): BodyBlock[] {
  const blocks: BodyBlock[] = [];
  for (const node of topLevel(html)) {
    if ((node.tag === 'ul' || node.tag === 'ol') && /^<(ul|ol)>$/i.test(node.outer.slice(0, 4))) {
      const items = topLevel(node.inner);
      if (items.every((i) => i.tag === 'li')) {
        for (const item of items) blocks.push({ list: node.tag, html: item.outer });
        continue;
      }
    }
    blocks.push({ list: null, html: node.outer });
  }
  return blocks;
}

/** Blocks back to HTML: neighbouring items of the same list kind share one list. */
export function joinBlocks(blocks: readonly BodyBlock[]): string {
  let out = '';
  let open: 'ul' | 'ol' | null = null;
  for (const b of blocks) {
    if (open && b.list !== open) {
      out += `</${open}>`;
      open = null;
    }
    if (b.list && open !== b.list) {
      out += `<${b.list}>`;
      open = b.list;
    }
    out += b.html;
  }
  if (open) out += `</${open}>`;
  return out;
}

const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;

/** A tag with its attributes in name order: editors and sanitizers order them differently. */
function canonicalTag(tag: string, name: string, rest: string): string {
  const attrs = [...rest.matchAll(ATTRIBUTE)].map((m) => `${m[1]!.toLowerCase()}=${(m[2] ?? '""').replace(/^'(.*)'$/, '"$1"').replace(/^([^"].*)$/, '"$1"')}`);
  return attrs.length ? `<${tag}${name} ${attrs.sort().join(' ')}>` : `<${tag}${name}>`;
}

/**
 * A block as one comparable string (its list kind and its markup with attributes in
 * a fixed order), so the same paragraph compares equal whoever serialized it.
 */
export function blockKey(b: BodyBlock): string {
  const html = b.html.replace(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g, (_m, slash: string, name: string, rest: string) =>
    canonicalTag(slash, name.toLowerCase(), rest.replace(/\/\s*$/, '').trim()),
  );
  return b.list ? `${b.list}:${html}` : html;
}

export function blockFromKey(key: string): BodyBlock {
  const m = /^(ul|ol):(<li[\s>][\s\S]*)$/.exec(key);
  return m ? { list: m[1] as 'ul' | 'ol', html: m[2]! } : { list: null, html: key };
}

/** Drops empty paragraphs at the end of a body (an editor's trailing Enter). */
export function trimTrailingEmptyParagraphs(html: string): string {
  return html.replace(/(?:\s*<p(?:\s[^>]*)?>(?:\s|&nbsp;|<br\s*\/?>)*<\/p>)+\s*$/i, '').trim();
}
