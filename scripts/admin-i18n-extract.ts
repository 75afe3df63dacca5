// Moves a newsroom screen's hard-coded interface text into the message catalogs:
//   npx tsx scripts/admin-i18n-extract.ts admin/src/screens/webhooks.tsx [more files…]
// JSX text, user-facing attributes (placeholder, title, aria-label, alt, label) and string literals
// placed into JSX become t('namespace.key') calls; the English text goes to admin/src/locales/en.json
// (text already there is reused). Then translate the new keys in ar.json and fa.json — the catalog
// test lists any missing — and check sentences split around {expressions} read well; prefer one key
// with {{placeholders}} (and plural forms for counts) where the split reads badly.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative } from 'node:path';
import ts from 'typescript';

const CATALOG = 'admin/src/locales/en.json';
const USER_FACING_ATTRIBUTES = new Set(['placeholder', 'title', 'aria-label', 'alt', 'label', 'data-label']);
const ENTITIES: Record<string, string> = { amp: '&', nbsp: '\u00a0', hellip: '…', mdash: '—', ndash: '–', lt: '<', gt: '>', quot: '"', apos: "'", rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', middot: '·', times: '×' };

type Catalog = Record<string, Record<string, string>>;
const catalog = JSON.parse(readFileSync(CATALOG, 'utf8')) as Catalog;

const camel = (s: string) => (s.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()));
function keyFor(text: string): string {
  const words = text.normalize('NFKD').replace(/[^\p{L}\p{N} ]/gu, ' ').trim().split(/\s+/).slice(0, 5);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('') || 'text';
}

/** The key holding this English text: an existing one anywhere in the catalog, else a new one in the namespace. */
function keyOf(namespace: string, text: string): string {
  for (const [ns, entries] of Object.entries(catalog)) {
    for (const [k, v] of Object.entries(entries)) if (v === text) return `${ns}.${k}`;
  }
  const entries = (catalog[namespace] ??= {});
  let key = keyFor(text);
  for (let n = 2; entries[key] !== undefined && entries[key] !== text; n++) key = `${keyFor(text)}${n}`;
  entries[key] = text;
  return `${namespace}.${key}`;
}

for (const file of process.argv.slice(2)) {
  const source = readFileSync(file, 'utf8');
  const namespace = camel(basename(file, '.tsx'));
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const call = (text: string) => `t('${keyOf(namespace, text)}')`;
  const literal = (expr: ts.Expression | undefined): void => {
    if (!expr) return;
    if (ts.isParenthesizedExpression(expr)) return literal(expr.expression);
    if ((ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) && /\p{L}/u.test(expr.text)) {
      edits.push({ start: expr.getStart(sf), end: expr.getEnd(), text: call(expr.text) });
    } else if (ts.isConditionalExpression(expr)) {
      literal(expr.whenTrue);
      literal(expr.whenFalse);
    } else if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(expr.operatorToken.kind)) {
      literal(expr.right);
    } else if (ts.isTemplateExpression(expr)) {
      console.warn(`${file}:${sf.getLineAndCharacterOfPosition(expr.getStart(sf)).line + 1}: template text left for a hand-written key with {{placeholders}}`);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) {
      const raw = node.getFullText(sf);
      const lead = raw.length - raw.trimStart().length;
      const body = raw.trim();
      if (/\p{L}/u.test(body)) {
        const text = body.replace(/\s+/g, ' ').replace(/&(\w+);/g, (m, name: string) => ENTITIES[name] ?? m);
        const start = node.getFullStart() + lead;
        edits.push({ start, end: start + body.length, text: `{${call(text)}}` });
      }
    } else if (ts.isJsxExpression(node) && !ts.isJsxAttribute(node.parent)) {
      literal(node.expression);
    } else if (ts.isJsxAttribute(node) && USER_FACING_ATTRIBUTES.has(node.name.getText(sf)) && node.initializer) {
      const init = node.initializer;
      if (ts.isStringLiteral(init) && /\p{L}/u.test(init.text)) edits.push({ start: init.getStart(sf), end: init.getEnd(), text: `{${call(init.text)}}` });
      else if (ts.isJsxExpression(init)) literal(init.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (edits.length === 0) continue;
  let out = source;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (!/import \{[^}]*\bt\b[^}]*\} from '[./]+i18n\.js'/.test(out)) {
    let rel = relative(dirname(file), 'admin/src/i18n.js');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    const imports = [...out.matchAll(/^import [^;]+;\n/gm)];
    const at = imports.length ? imports[imports.length - 1]!.index! + imports[imports.length - 1]![0].length : 0;
    out = `${out.slice(0, at)}import { t } from '${rel}';\n${out.slice(at)}`;
  }
  writeFileSync(file, out);
  console.log(`${file}: ${edits.length} strings → ${namespace}.*`);
}
writeFileSync(CATALOG, `${JSON.stringify(catalog, null, 2)}\n`);
