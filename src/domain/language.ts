/** Languages and writing direction. */
export type TextDirection = 'ltr' | 'rtl';

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'sd', 'ckb', 'yi', 'dv', 'ug', 'syr', 'arc', 'ku-arab']);
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'thaa', 'syrc', 'nkoo', 'adlm', 'rohg', 'mand', 'samr']);

const directionCache = new Map<string, TextDirection>();

/** Canonical BCP 47 tag, or null when the tag is not well-formed. */
export function canonicalLanguage(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ?? null;
  } catch {
    return null;
  }
}

/** Writing direction of a BCP 47 language tag (script subtag wins over the language). */
export function textDirection(tag: string): TextDirection {
  const cached = directionCache.get(tag);
  if (cached) return cached;
  const parts = tag.toLowerCase().split('-');
  const script = parts.find((p, i) => i > 0 && p.length === 4);
  let dir: TextDirection;
  if (script) dir = RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  else dir = RTL_LANGUAGES.has(parts[0] ?? '') ? 'rtl' : 'ltr';
  directionCache.set(tag, dir);
  return dir;
}
