import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

/** Every TypeScript file under src/. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The `text` (or parts of it) that is a plain string: an English detail where a catalog message belongs. */
function stringParts(checker: ts.TypeChecker, type: ts.Type): string[] {
  const parts = type.isUnion() ? type.types : [type];
  return parts.filter((t) => (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.Any)) !== 0).map((t) => checker.typeToString(t));
}

test('every DomainError raised in src/ carries a catalog message, never English text', () => {
  const config = ts.getParsedCommandLineOfConfigFile('tsconfig.json', {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const files = sources('src');
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const found: string[] = [];
  let raises = 0;
  for (const file of files) {
    // The class itself passes its own detail on (`with`).
    if (file.endsWith(join('domain', 'errors.ts'))) continue;
    const source = program.getSourceFile(file)!;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText(source) === 'DomainError') {
        raises++;
        const detail = node.arguments?.[1];
        const strings = detail ? stringParts(checker, checker.getTypeAtLocation(detail)) : ['(no detail)'];
        if (strings.length) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
          found.push(`${relative('.', file)}:${line + 1}: ${detail?.getText(source).slice(0, 100)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.ok(raises > 200, `the scan found the raise sites (${raises})`);
  assert.deepEqual(found, [], 'raise these with text(key, values) and add the key to src/site/messages/{en,ar,fa}.json');
});
