/**
 * Deterministic synthetic news text for the scale benchmarks: a seeded PRNG, an O(1)
 * Zipf sampler, generated English and Arabic vocabularies (real function words at the
 * top ranks, tens of thousands of pseudo-words below), and sentences/paragraphs drawn
 * from them. Everything is a pure function of the seed, so `bench:search` can rebuild
 * the vocabulary of an archive made earlier by `bench:data` and query it.
 */

/** mulberry32: small, fast, good enough for benchmark data. Returns [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-item seed from the archive seed and an item number (so items are reproducible one by one). */
export function mixSeed(seed: number, n: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

export type Rng = () => number;

export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/**
 * Walker/Vose alias table over ranks 0..n-1 with P(r) ∝ 1/(r+1)^s: two random numbers
 * and two array reads per draw, whatever n (hundreds of millions of draws at 1M articles).
 */
export class ZipfSampler {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(
    readonly n: number,
    s: number,
  ) {
    const w = new Float64Array(n);
    let sum = 0;
    for (let r = 0; r < n; r++) sum += w[r] = 1 / Math.pow(r + 1, s);
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = w.map((x) => (x * n) / sum);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const l = small.pop()!;
      const g = large.pop()!;
      this.prob[l] = scaled[l]!;
      this.alias[l] = g;
      scaled[g] = scaled[g]! + scaled[l]! - 1;
      (scaled[g]! < 1 ? small : large).push(g);
    }
    for (const i of [...small, ...large]) this.prob[i] = 1;
  }

  draw(rng: Rng): number {
    const i = Math.floor(rng() * this.n);
    return rng() < this.prob[i]! ? i : this.alias[i]!;
  }
}

const EN_FUNCTION_WORDS = (
  'the of and to a in that is was for on it with as he at by from his be have are has said not an but which they ' +
  'were this had or their who its been after more will would there about also one two new over into than other up ' +
  'year when could some we she her all last government people first minister state country president officials'
).split(' ');
const AR_FUNCTION_WORDS = 'في من على إلى عن مع أن هذا هذه التي الذي كان قد لا ما ذلك بعد قبل بين حتى كل وقال قال أو ثم عند خلال'.split(' ');

const EN_ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'cr', 'dr', 'st', 'tr', 'pl', 'gr', 'ch', 'sh', 'th', 'sl', 'fl'];
const EN_VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ea', 'ou', 'io', 'y'];
const EN_CODAS = ['', '', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'rk', 'x', 'ng'];
const AR_LETTERS = [...'ابتثجحخدذرزسشصضطظعغفقكلمنهويةء'];

/** A language's vocabulary in Zipf rank order, with its sampler. */
export interface Vocabulary {
  words: string[];
  zipf: ZipfSampler;
}

function buildVocabulary(rng: Rng, functionWords: string[], size: number, make: (rng: Rng) => string): Vocabulary {
  const seen = new Set(functionWords);
  const words = [...functionWords];
  while (words.length < size) {
    const w = make(rng);
    if (w.length >= 3 && !seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return { words, zipf: new ZipfSampler(words.length, 1.05) };
}

export function englishVocabulary(seed: number, size = 40_000): Vocabulary {
  return buildVocabulary(prng(mixSeed(seed, 1)), EN_FUNCTION_WORDS, size, (rng) => {
    let w = '';
    for (let i = int(rng, 1, 3); i > 0; i--) w += pick(rng, EN_ONSETS) + pick(rng, EN_VOWELS);
    return w + pick(rng, EN_CODAS);
  });
}

export function arabicVocabulary(seed: number, size = 15_000): Vocabulary {
  return buildVocabulary(prng(mixSeed(seed, 2)), AR_FUNCTION_WORDS, size, (rng) => {
    let w = '';
    for (let i = int(rng, 3, 6); i > 0; i--) w += pick(rng, AR_LETTERS);
    return w.replace(/^ة/, 'ت').replace(/ء(?!$)/g, 'ا');
  });
}

/** What an article's words are drawn from: the language's vocabulary and its story's recurring words. */
export interface TextSource {
  vocabulary: Vocabulary;
  arabic: boolean;
  /** Story topic words, mixed in at `topicRate`. */
  topicWords: string[];
  /** Names (people, places) of the story, mentioned now and then, capitalized as written. */
  names: string[];
  topicRate: number;
}

const capitalize = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

function word(rng: Rng, src: TextSource): string {
  const r = rng();
  if (r < src.topicRate) return pick(rng, src.topicWords);
  const w = src.vocabulary.words[src.vocabulary.zipf.draw(rng)]!;
  // Arabic content words often carry the definite article (the analyzer removes it).
  return src.arabic && w.length > 3 && rng() < 0.25 ? `ال${w}` : w;
}

/** `count` words, no punctuation. */
export function phrase(rng: Rng, src: TextSource, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(word(rng, src));
  return out.join(' ');
}

/** A sentence of 8–24 words, with a story name now and then, capitalized and closed. */
export function sentence(rng: Rng, src: TextSource): string {
  const n = int(rng, 8, 24);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(src.names.length && rng() < 0.012 ? pick(rng, src.names) : word(rng, src));
  if (!src.arabic) out[0] = capitalize(out[0]!);
  return `${out.join(' ')}.`;
}

/** Headline (~10 words, two story words up front), dek (~25 words), body paragraphs (300–900 words). */
export function articleText(rng: Rng, src: TextSource): { headline: string; dek: string; paragraphs: string[] } {
  const lead = [pick(rng, src.topicWords), pick(rng, src.topicWords)];
  let headline = `${lead.join(' ')} ${phrase(rng, src, int(rng, 6, 10))}`;
  if (!src.arabic) headline = capitalize(headline);
  const dek = `${phrase(rng, src, int(rng, 18, 32))}.`;
  const target = int(rng, 300, 900);
  const paragraphs: string[] = [];
  for (let words = 0; words < target; ) {
    const sentences: string[] = [];
    for (let k = int(rng, 2, 5); k > 0 && words < target; k--) {
      const s = sentence(rng, src);
      words += s.split(' ').length;
      sentences.push(s);
    }
    paragraphs.push(sentences.join(' '));
  }
  return { headline, dek: src.arabic ? dek : capitalize(dek), paragraphs };
}
