/**
 * A YARPP-style related-posts baseline ("Yet Another Related Posts Plugin" for
 * WordPress), reimplemented for the evaluation harness: each post's 20 most frequent
 * title keywords and 20 most frequent body keywords (stop words removed) are matched
 * with MySQL natural-language FULLTEXT relevance against titles and bodies; each
 * shared tag adds 1; posts scoring at least the threshold (4) are kept, best first, at
 * most `limit` (4).
 */

export interface YarppDoc {
  id: number;
  title: string;
  body: string;
  tags: string[];
}

const STOP = new Set(
  'a about above after again against all am an and any are as at be because been before being below between both but by could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is it its itself me more most my no nor not of off on once only or other our out over own same she should so some such than that the their them then there these they this those through to too under until up very was we were what when where which while who whom why with would you your said will also mln dlrs pct reuter'.split(' '),
);

// A few Arabic function words too, so the baseline is not handicapped on Arabic corpora.
for (const w of 'في من على إلى الى عن مع هذا هذه ذلك التي الذي أن ان إن او أو ثم قد كان كانت لا ما هو هي بعد قبل بين حتى كل قال وقال'.split(' ')) STOP.add(w);

/** MySQL's full-text word rules, roughly: letters/digits, at least 4 characters (ft_min_word_len), no stop words. */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []).filter((w) => w.length >= 4 && !STOP.has(w));
}

function topKeywords(text: string, n: number): string[] {
  const tf = new Map<string, number>();
  for (const w of words(text)) tf.set(w, (tf.get(w) ?? 0) + 1);
  return [...tf].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([w]) => w);
}

/** One FULLTEXT index (one column): MySQL's natural-language relevance formula. */
class FullTextColumn {
  private readonly postings = new Map<string, { id: number; weight: number }[]>();
  private readonly n: number;

  constructor(docs: { id: number; text: string }[]) {
    this.n = docs.length;
    for (const d of docs) {
      const tf = new Map<string, number>();
      for (const w of words(d.text)) tf.set(w, (tf.get(w) ?? 0) + 1);
      const unique = tf.size;
      if (!unique) continue;
      let sumLog = 0;
      for (const f of tf.values()) sumLog += Math.log(f) + 1;
      // (log(dtf)+1)/sumdtf * U/(1+0.0115*U): MySQL's per-document word weight with pivoted length normalization.
      const norm = unique / (1 + 0.0115 * unique);
      for (const [w, f] of tf) {
        const list = this.postings.get(w) ?? [];
        list.push({ id: d.id, weight: ((Math.log(f) + 1) / sumLog) * norm });
        this.postings.set(w, list);
      }
    }
  }

  /** MATCH(col) AGAINST('kw …' IN NATURAL LANGUAGE MODE) for every matching row. */
  match(keywords: string[], into: Map<number, number>): void {
    for (const w of new Set(keywords)) {
      const list = this.postings.get(w);
      if (!list) continue;
      // Words in half the rows or more carry no weight in natural-language mode.
      if (list.length * 2 >= this.n) continue;
      const idf = Math.log((this.n - list.length) / list.length);
      for (const p of list) into.set(p.id, (into.get(p.id) ?? 0) + p.weight * idf);
    }
  }
}

/** Builds the baseline over a corpus; the returned function gives a document's related ids. */
export function yarppRelated(docs: YarppDoc[], options: { threshold?: number; limit?: number } = {}): (id: number) => number[] {
  const threshold = options.threshold ?? 4;
  const limit = options.limit ?? 4;
  const titles = new FullTextColumn(docs.map((d) => ({ id: d.id, text: d.title })));
  const bodies = new FullTextColumn(docs.map((d) => ({ id: d.id, text: d.body })));
  const byId = new Map(docs.map((d) => [d.id, d]));
  const tagIndex = new Map<string, number[]>();
  for (const d of docs) for (const t of d.tags) (tagIndex.get(t) ?? tagIndex.set(t, []).get(t)!).push(d.id);
  return (id) => {
    const d = byId.get(id);
    if (!d) return [];
    const title = new Map<number, number>();
    const body = new Map<number, number>();
    titles.match(topKeywords(d.title, 20), title);
    bodies.match(topKeywords(d.body, 20), body);
    const score = new Map<number, number>();
    for (const [k, v] of title) score.set(k, (score.get(k) ?? 0) + v);
    for (const [k, v] of body) score.set(k, (score.get(k) ?? 0) + v);
    for (const t of d.tags) for (const other of tagIndex.get(t) ?? []) score.set(other, (score.get(other) ?? 0) + 1);
    score.delete(id);
    return [...score]
      .filter(([, s]) => s >= threshold)
      .sort((a, b) => b[1] - a[1] || b[0] - a[0])
      .slice(0, limit)
      .map(([k]) => k);
  };
}

/** Okapi BM25 over one field (titles or bodies), k1 = 1.2, b = 0.75, Lucene's idf. */
class Bm25Column {
  private readonly postings = new Map<string, { id: number; f: number }[]>();
  private readonly length = new Map<number, number>();
  private readonly averageLength: number;
  private readonly n: number;

  constructor(docs: { id: number; text: string }[], private readonly k1 = 1.2, private readonly b = 0.75) {
    this.n = docs.length;
    let total = 0;
    for (const d of docs) {
      const ws = bm25Words(d.text);
      this.length.set(d.id, ws.length);
      total += ws.length;
      const tf = new Map<string, number>();
      for (const w of ws) tf.set(w, (tf.get(w) ?? 0) + 1);
      for (const [w, f] of tf) (this.postings.get(w) ?? this.postings.set(w, []).get(w)!).push({ id: d.id, f });
    }
    this.averageLength = total / (this.n || 1) || 1;
  }

  match(keywords: string[], into: Map<number, number>): void {
    for (const w of new Set(keywords)) {
      const list = this.postings.get(w);
      if (!list) continue;
      const idf = Math.log(1 + (this.n - list.length + 0.5) / (list.length + 0.5));
      for (const p of list) {
        const norm = this.k1 * (1 - this.b + (this.b * (this.length.get(p.id) ?? 0)) / this.averageLength);
        into.set(p.id, (into.get(p.id) ?? 0) + (idf * p.f * (this.k1 + 1)) / (p.f + norm));
      }
    }
  }
}

/** Words for the BM25 variant: no minimum length beyond two characters (Arabic words are short), stop words out. */
function bm25Words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []).filter((w) => w.length >= 2 && !STOP.has(w));
}

function topBm25Keywords(text: string, n: number): string[] {
  const tf = new Map<string, number>();
  for (const w of bm25Words(text)) tf.set(w, (tf.get(w) ?? 0) + 1);
  return [...tf].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([w]) => w);
}

/**
 * The strong YARPP-style baseline: the post's 20 most frequent title keywords
 * BM25-matched against titles plus its 20 most frequent body keywords against bodies,
 * plus 1 per shared tag, no threshold, at most `limit` (4). It is the independent
 * scorer the engine is judged against (issue 16), stronger than MySQL's relevance.
 */
export function yarppBm25Related(docs: YarppDoc[], options: { limit?: number } = {}): (id: number) => number[] {
  const limit = options.limit ?? 4;
  const titles = new Bm25Column(docs.map((d) => ({ id: d.id, text: d.title })));
  const bodies = new Bm25Column(docs.map((d) => ({ id: d.id, text: d.body })));
  const byId = new Map(docs.map((d) => [d.id, d]));
  const tagIndex = new Map<string, number[]>();
  for (const d of docs) for (const t of new Set(d.tags)) (tagIndex.get(t) ?? tagIndex.set(t, []).get(t)!).push(d.id);
  return (id) => {
    const d = byId.get(id);
    if (!d) return [];
    const score = new Map<number, number>();
    titles.match(topBm25Keywords(d.title, 20), score);
    bodies.match(topBm25Keywords(d.body, 20), score);
    for (const t of new Set(d.tags)) for (const other of tagIndex.get(t) ?? []) score.set(other, (score.get(other) ?? 0) + 1);
    score.delete(id);
    return [...score]
      .filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1] || b[0] - a[0])
      .slice(0, limit)
      .map(([k]) => k);
  };
}
