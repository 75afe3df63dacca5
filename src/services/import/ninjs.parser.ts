import type { ImportDraft } from '../../domain/import-draft.js';

type Node = Record<string, unknown>;

/** Keys lower-cased: ninjs 1.x uses `body_html`/`versioncreated`, 2.x lower case, 3.x camelCase. */
function lower(o: unknown): Node {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return {};
  return Object.fromEntries(Object.entries(o as Node).map(([k, v]) => [k.toLowerCase(), v]));
}
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const arr = (v: unknown): Node[] => (Array.isArray(v) ? v.map(lower) : v && typeof v === 'object' ? Object.entries(v as Node).map(([role, value]) => ({ role, value })) : []);

/** One ninjs document (IPTC News in JSON, 1.x–3.x) as an import draft; null when it is not text (pictures, video). */
export function ninjsDraft(doc: unknown, defaults: { language: string; contentTypeId: number; section: { slug: string; name: string } }): ImportDraft | null {
  const n = lower(doc);
  const uri = str(n.uri) || str(n.guid);
  if (!uri) throw new Error('the ninjs document has no uri');
  const type = str(n.type) || 'text';
  if (!['text', 'composite'].includes(type)) return null;
  const repairs: string[] = [];
  const headlines = arr(n.headlines);
  let headline = str(n.headline) || str(headlines.find((h) => str(h.role) === 'main')?.value) || str(headlines[0]?.value) || str(n.title);
  const bodies = arr(n.bodies);
  const htmlBody = str(n.body_html) || str(bodies.find((b) => /html/.test(str(b.contenttype)) || str(b.role) === 'html')?.value);
  const textBody = str(n.body_text) || str(bodies.find((b) => /plain/.test(str(b.contenttype)) || str(b.role) === 'text')?.value);
  const descriptions = arr(n.descriptions);
  const summary = str(n.description_text) || str(descriptions.find((d) => /plain/.test(str(d.contenttype)) || str(d.role) === 'summary' || str(d.role) === 'text')?.value);
  let body = htmlBody || textBody.split(/\n\s*\n/).filter(Boolean).map((p) => `<p>${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`).join('');
  if (!body && summary) {
    body = `<p>${summary.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`;
    repairs.push('no body: used the description');
  }
  if (!headline) {
    headline = str(n.slugline) || summary.replace(/\s+/g, ' ').slice(0, 90) || uri;
    repairs.push('no headline: used the slugline, description or uri');
  }
  const pubStatus = str(n.pubstatus) || 'usable';
  if (pubStatus === 'canceled' || pubStatus === 'withheld') repairs.push(`pubStatus "${pubStatus}": imported as a draft`);
  const when = Date.parse(str(n.firstcreated) || str(n.versioncreated) || str(n.contentcreated));
  const subjects = arr(n.subjects ?? n.subject).map((s) => str(s.name)).filter(Boolean);
  const places = arr(n.places ?? n.place).map((p) => str(p.name)).filter(Boolean);
  return {
    sourceKey: `ninjs:${uri}`,
    kind: 'ninjs',
    language: str(n.language).split('-')[0] ? str(n.language) : defaults.language,
    contentTypeId: defaults.contentTypeId,
    section: defaults.section,
    status: pubStatus === 'usable' ? 'published' : 'draft',
    headline,
    dek: summary.slice(0, 500),
    bodyHtml: body,
    byline: str(n.by) || str(n.byline),
    source: str(n.copyrightholder) || str(lower(n.infosource ?? n.source).name),
    place: places[0] ?? '',
    publishedAt: Number.isNaN(when) ? null : when,
    tags: [...subjects.map((name) => ({ kind: 'topic' as const, name })), ...places.map((name) => ({ kind: 'place' as const, name }))],
    repairs,
  };
}
