import { normalizeText, STOP_WORDS, stemWord } from './text-analysis.js';

/** A piece of a snippet; `match` pieces are what the query found. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/** Words as they appear in the original text, tashkeel, tatweel and ZWNJ included. */
const RAW_WORD = /[\p{L}\p{N}\p{M}\u200C\u0640]+/gu;

export interface HighlightTerms {
  terms: ReadonlySet<string>;
  prefixes: readonly string[];
  /**
   * The function words a prefix was searched for: only when nothing else completes it
   * (`planSearch`). Others are not marked for a prefix, as they were not searched:
   * `tha*` finds "thames", not "that".
   */
  prefixStops?: ReadonlySet<string>;
}

interface WordAnalysis {
  normalized: string;
  parts: { word: string; stem: string }[];
}

// Result pages highlight thousands of body words and the same words recur endlessly:
// remember each word's analysis (bounded) instead of normalising and stemming it again.
const wordMemo = new Map<string, WordAnalysis>();
const WORD_MEMO_LIMIT = 100_000;

function analyzeWord(word: string): WordAnalysis {
  let a = wordMemo.get(word);
  if (!a) {
    const normalized = normalizeText(word);
    const parts = (normalized.match(/[\p{L}\p{N}]+/gu) ?? []).map((p) => ({ word: p, stem: stemWord(p) }));
    a = { normalized, parts };
    if (wordMemo.size >= WORD_MEMO_LIMIT) wordMemo.clear();
    wordMemo.set(word, a);
  }
  return a;
}

function matches(word: string, q: HighlightTerms): boolean {
  return analyzeWord(word).parts.some(
    ({ word: p, stem }) =>
      q.terms.has(stem) || (q.prefixes.some((x) => stem.startsWith(x) || p.startsWith(x)) && (!STOP_WORDS.has(stem) || q.prefixStops?.has(stem) === true)),
  );
}

/**
 * The passage of `text` (at most about `maxChars`) where the query's terms are densest,
 * split into plain and matching parts. Matching uses the index's own analysis, so
 * `انتخابات` is marked for a query typed with tashkeel and `elections` for `election`.
 * Without any match it is the text's beginning.
 */
export function highlightSnippet(text: string, q: HighlightTerms, maxChars = 240): SnippetPart[] {
  const found: { start: number; end: number; key: string }[] = [];
  for (const m of text.matchAll(RAW_WORD)) {
    if (matches(m[0], q)) found.push({ start: m.index, end: m.index + m[0].length, key: analyzeWord(m[0]).normalized });
  }
  let from = 0;
  let to = Math.min(text.length, maxChars);
  if (found.length && text.length > maxChars) {
    let best = 0;
    let bestScore = -1;
    for (let i = 0; i < found.length; i++) {
      const windowEnd = found[i]!.start + maxChars - 40;
      const distinct = new Set<string>();
      let hits = 0;
      for (let j = i; j < found.length && found[j]!.end <= windowEnd; j++) {
        distinct.add(found[j]!.key);
        hits++;
      }
      const score = distinct.size * 10 + hits;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    from = Math.max(0, found[best]!.start - 40);
    // Start and end on word boundaries.
    if (from > 0) {
      const space = text.indexOf(' ', from);
      if (space !== -1 && space < found[best]!.start) from = space + 1;
    }
    to = Math.min(text.length, from + maxChars);
  }
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > from + maxChars / 2) to = space;
  }
  const parts: SnippetPart[] = [];
  if (from > 0) parts.push({ text: '… ', match: false });
  let at = from;
  for (const f of found) {
    if (f.start < from || f.end > to) continue;
    if (f.start > at) parts.push({ text: text.slice(at, f.start), match: false });
    parts.push({ text: text.slice(f.start, f.end), match: true });
    at = f.end;
  }
  if (at < to) parts.push({ text: text.slice(at, to), match: false });
  if (to < text.length) parts.push({ text: ' …', match: false });
  return parts;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Snippet parts as HTML: escaped text, matches inside `<mark>`. */
export function snippetHtml(parts: SnippetPart[]): string {
  return parts
    .map((p) => {
      const escaped = p.text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
      return p.match ? `<mark>${escaped}</mark>` : escaped;
    })
    .join('');
}
