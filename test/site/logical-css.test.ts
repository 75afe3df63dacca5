import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/**
 * Both stylesheets use logical properties so right-to-left pages mirror by themselves: a physical
 * left/right/top/bottom property or a left/right value fails here unless it is on the allow-list
 * with the reason it must stay physical.
 */
const STYLESHEETS = ['src/site/assets/site.css', 'admin/src/styles.css'];

/** `file|selector|property` that must stay physical, with why. */
const ALLOWED: Record<string, string> = {};

const PHYSICAL_PROPERTY = /^(?:(?:margin|padding|border|scroll-margin|scroll-padding)-(?:left|right|top|bottom)(?:-\w+)?|left|right|top|bottom|border-(?:top|bottom)-(?:left|right)-radius|overscroll-behavior-[xy])$/;
const PHYSICAL_VALUE: Record<string, RegExp> = {
  'text-align': /^(?:left|right)\b/,
  float: /^(?:left|right)\b/,
  clear: /^(?:left|right)\b/,
  'text-align-last': /^(?:left|right)\b/,
};

interface Declaration {
  selector: string;
  property: string;
  value: string;
}

/** Declarations of a stylesheet with the selector of their rule (innermost blocks are rules). */
function declarations(css: string): Declaration[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: Declaration[] = [];
  for (const m of text.matchAll(/([^{};]*)\{([^{}]*)\}/g)) {
    const selector = m[1]!.trim();
    for (const part of m[2]!.split(';')) {
      const colon = part.indexOf(':');
      if (colon < 0) continue;
      out.push({ selector, property: part.slice(0, colon).trim().toLowerCase(), value: part.slice(colon + 1).trim().toLowerCase() });
    }
  }
  return out;
}

function physicalDeclarations(css: string): Declaration[] {
  return declarations(css).filter(
    (d) => PHYSICAL_PROPERTY.test(d.property) || (PHYSICAL_VALUE[d.property]?.test(d.value) ?? false),
  );
}

describe('logical CSS', () => {
  for (const file of STYLESHEETS) {
    it(`${file} has no physical left/right/top/bottom property or value outside the allow-list`, () => {
      const found = physicalDeclarations(readFileSync(file, 'utf8')).filter((d) => !ALLOWED[`${file}|${d.selector}|${d.property}`]);
      assert.deepEqual(found.map((d) => `${d.selector} { ${d.property}: ${d.value} }`), []);
    });
  }

  it('the check finds what it must (so a physical property that creeps back fails)', () => {
    const css = `/* left: 1rem in a comment is fine */
      .a { margin-left: 1rem; padding: 0; }
      @media (min-width: 10rem) { .b:hover { text-align: right; inset-inline-start: 0; } }
      .c { right: 0; border-top-left-radius: 2px; float: left; }
      .d { text-align: start; margin-inline-start: auto; vertical-align: top; caption-side: bottom; }`;
    assert.deepEqual(
      physicalDeclarations(css).map((d) => `${d.selector}|${d.property}`),
      ['.a|margin-left', '.b:hover|text-align', '.c|right', '.c|border-top-left-radius', '.c|float'],
    );
  });

  it('arrows that point are mirrored on right-to-left pages', () => {
    const css = readFileSync('src/site/assets/site.css', 'utf8');
    const rtl = declarations(css).filter((d) => d.selector.includes('[dir="rtl"]') && d.property === 'transform');
    assert.ok(rtl.some((d) => d.selector.includes('.pager a[rel]::before') && d.value === 'scalex(-1)'), 'pager arrows flip in RTL');
  });
});
