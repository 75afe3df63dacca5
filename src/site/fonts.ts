import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The site's typeface: Vazirmatn (OFL), one variable file (weights 100–900) per script subset, from the
 * `@fontsource-variable/vazirmatn` package. Its Arabic subset covers Arabic and Persian (U+0600–06FF with
 * Persian digits, ZWNJ); its Latin subsets are the Latin face drawn to pair with it. Each subset carries
 * its `unicode-range`, so a browser downloads only the files whose characters a page shows: an English page
 * never fetches the Arabic file. Files are served by the app under content-hashed names (cached for a year).
 */
export const FONT_FAMILY = 'Vazirmatn';
const PACKAGE = '@fontsource-variable/vazirmatn';

/** Script subsets in the package, with the ISO 15924 scripts whose pages preload them. */
const SUBSETS: ReadonlyArray<{ subset: string; scripts: readonly string[] }> = [
  // Arabic-script pages set spaces, digits and punctuation in the Latin file too: preload both.
  { subset: 'arabic', scripts: ['Arab'] },
  { subset: 'latin-ext', scripts: [] },
  { subset: 'latin', scripts: ['Latn', 'Arab'] },
];

export interface FontFile {
  subset: string;
  /** Content-hashed address, e.g. `/assets/fonts/vazirmatn-arabic.1a2b3c4d5e.woff2`. */
  href: string;
  bytes: Buffer;
}

export interface SiteFonts {
  files: readonly FontFile[];
  /** `@font-face` rules to put before the stylesheet. */
  css: string;
  /** Font files a page in this language should preload (those of its script). */
  preloads(language: string): readonly FontFile[];
}

let loaded: SiteFonts | null = null;

/** The site's fonts, read from the package once per process. */
export function siteFonts(): SiteFonts {
  return (loaded ??= loadFonts());
}

function loadFonts(): SiteFonts {
  const require = createRequire(import.meta.url);
  const ranges = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/unicode.json`), 'utf8')) as Record<string, string>;
  const files = SUBSETS.map(({ subset }) => {
    const bytes = readFileSync(require.resolve(`${PACKAGE}/files/vazirmatn-${subset}-wght-normal.woff2`));
    const hash = createHash('sha1').update(bytes).digest('hex').slice(0, 10);
    return { subset, href: `/assets/fonts/vazirmatn-${subset}.${hash}.woff2`, bytes };
  });
  const css = files
    .map((f) => {
      const range = ranges[f.subset];
      if (!range) throw new Error(`${PACKAGE} has no unicode range for the ${f.subset} subset`);
      return `@font-face { font-family: "${FONT_FAMILY}"; font-style: normal; font-weight: 100 900; font-display: swap; src: url(${f.href}) format("woff2"); unicode-range: ${range}; }`;
    })
    .join('\n');
  const byScript = new Map<string, FontFile[]>();
  for (const { subset, scripts } of SUBSETS) {
    const file = files.find((f) => f.subset === subset)!;
    for (const script of scripts) byScript.set(script, [...(byScript.get(script) ?? []), file]);
  }
  return { files, css: `${css}\n`, preloads: (language) => byScript.get(scriptOf(language)) ?? [] };
}

const scripts = new Map<string, string>();

/** The likely script of a language tag (`fa` → `Arab`, `en` → `Latn`); '' when unknown. */
export function scriptOf(language: string): string {
  let script = scripts.get(language);
  if (script === undefined) {
    try {
      script = new Intl.Locale(language).maximize().script ?? '';
    } catch {
      script = '';
    }
    scripts.set(language, script);
  }
  return script;
}

/** A `Link` header value preloading a page's fonts (fonts are fetched in CORS mode, hence `crossorigin`). */
export function fontPreloadHeader(language: string): string | null {
  const files = siteFonts().preloads(language);
  if (files.length === 0) return null;
  return files.map((f) => `<${f.href}>; rel=preload; as=font; type="font/woff2"; crossorigin`).join(', ');
}
