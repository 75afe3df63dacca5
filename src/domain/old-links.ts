/**
 * Links in imported bodies that point at the old site. A link is "old" when its host is
 * one of the old site's (LEGACY_ORIGINS, the WXR's site URL); its key is what an
 * imported article answers to: `/news/{old id}` for the legacy site's article URLs
 * (whatever slug follows), else the path and query (a WordPress permalink, `/?p=12`).
 */
const HREF = /(<a\b[^>]*?\bhref=")([^"]*)(")/gi;
const LEGACY_ARTICLE = /^\/news\/(\d{1,10})(?:[/?#]|$)/;

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const encode = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** Hosts of origins such as `https://old.example` (both schemes count). */
export function hostsOf(origins: readonly string[]): Set<string> {
  const hosts = new Set<string>();
  for (const o of origins) {
    try {
      hosts.add(new URL(o).host.toLowerCase());
    } catch {
      // not a URL: nothing to match
    }
  }
  return hosts;
}

/** The key of a link to the old site, or null when it points elsewhere. */
export function oldLinkKey(href: string, hosts: ReadonlySet<string>): string | null {
  let url: URL;
  try {
    url = new URL(decode(href).trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !hosts.has(url.host.toLowerCase())) return null;
  const legacy = LEGACY_ARTICLE.exec(url.pathname);
  if (legacy) return `/news/${Number(legacy[1])}`;
  return url.pathname + url.search;
}

/** The same path with and without its trailing slash (WordPress permalinks are written both ways). */
export function keyVariants(key: string): string[] {
  const [path, query = ''] = key.split(/(?=\?)/);
  if (!path || path === '/') return [key];
  const other = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
  return [key, other + query];
}

/** Keys of every old-site link in the HTML. */
export function oldLinkKeys(html: string, hosts: ReadonlySet<string>): string[] {
  if (!hosts.size) return [];
  const keys = new Set<string>();
  for (const m of html.matchAll(HREF)) {
    const key = oldLinkKey(m[2]!, hosts);
    if (key) keys.add(key);
  }
  return [...keys];
}

/**
 * Points old-site links whose target was imported at its new URL (`resolved`: key →
 * new path); returns the HTML and the keys still waiting for their article.
 */
export function rewriteOldLinks(html: string, hosts: ReadonlySet<string>, resolved: ReadonlyMap<string, string>): { html: string; pending: string[] } {
  const pending = new Set<string>();
  const out = html.replace(HREF, (whole, open: string, href: string, close: string) => {
    const key = oldLinkKey(href, hosts);
    if (!key) return whole;
    const target = resolved.get(key);
    if (!target) {
      pending.add(key);
      return whole;
    }
    const hash = /#[^"]*$/.exec(decode(href))?.[0] ?? '';
    return `${open}${encode(target + hash)}${close}`;
  });
  return { html: out, pending: [...pending] };
}
