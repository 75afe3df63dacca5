import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** A user-facing string written into an admin screen instead of taken from the catalogs. */
export interface HardCodedString {
  file: string;
  line: number;
  text: string;
}

/** Attributes a person reads or hears (data-label: a table cell's heading on phones; class, href, type, name… are not interface text). */
const USER_FACING_ATTRIBUTES = new Set(['placeholder', 'title', 'aria-label', 'aria-description', 'aria-roledescription', 'alt', 'label', 'data-label']);
const HAS_LETTERS = /\p{L}/u;

/** Every `.tsx` file of the admin app, relative to the repository. */
export function adminTsxFiles(dir = 'admin/src'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? adminTsxFiles(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
  );
}

/**
 * Hard-coded interface text in a TSX file: JSX text with letters, user-facing attributes given a
 * literal, and string literals placed straight into JSX children (`{busy ? 'Saving…' : 'Save'}`).
 * Text produced by `t('…')` is an expression, so it never matches.
 */
export function hardCodedStrings(file: string, source = readFileSync(file, 'utf8')): HardCodedString[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: HardCodedString[] = [];
  const report = (node: ts.Node, text: string) => {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (HAS_LETTERS.test(clean)) found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: clean });
  };
  /** String literals that end up as JSX content: directly, or as a branch of ?:, ||, ??, &&. */
  const literalsIn = (expr: ts.Expression | undefined): void => {
    if (!expr) return;
    if (ts.isParenthesizedExpression(expr)) return literalsIn(expr.expression);
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return report(expr, expr.text);
    if (ts.isTemplateExpression(expr)) return report(expr, [expr.head.text, ...expr.templateSpans.map((s) => s.literal.text)].join(' '));
    if (ts.isConditionalExpression(expr)) {
      literalsIn(expr.whenTrue);
      literalsIn(expr.whenFalse);
    } else if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(expr.operatorToken.kind)) {
      literalsIn(expr.right);
      if (expr.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) literalsIn(expr.left);
    }
  };
  const visit = (node: ts.Node): void => {
    // Addresses and code shown as they are (`<code>/admin/setup?token=…</code>`) are not translated.
    if (ts.isJsxElement(node) && node.openingElement.tagName.getText(sf) === 'code') return;
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxExpression(node) && !ts.isJsxAttribute(node.parent)) literalsIn(node.expression);
    else if (ts.isJsxAttribute(node) && USER_FACING_ATTRIBUTES.has(node.name.getText(sf))) {
      const init = node.initializer;
      if (init && ts.isStringLiteral(init)) report(init, init.text);
      else if (init && ts.isJsxExpression(init)) literalsIn(init.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
