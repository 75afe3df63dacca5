/**
 * Unicode-aware slugs: letters and digits of every script survive (an Arabic headline
 * gives an Arabic slug), Latin accents and Arabic diacritics are dropped, everything
 * else becomes a single hyphen.
 */
const MAX_SLUG_LENGTH = 80;

export function slugify(text: string): string {
  const cleaned = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents, harakat
    .replace(/\u0640/g, '') // tatweel
    .normalize('NFC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  if (cleaned.length <= MAX_SLUG_LENGTH) return cleaned || 'article';
  const cut = cleaned.slice(0, MAX_SLUG_LENGTH);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > 20 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/g, '');
}
