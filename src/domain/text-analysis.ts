import { porterStem } from './porter-stemmer.js';

/**
 * Text analysis for search and related stories: one normalization and tokenization,
 * applied identically to documents and queries on every database engine, so that
 * SQLite FTS5 and PostgreSQL tsvector see the very same index terms.
 *
 * Normalization (Arabic script, after the usual practice of Arabic/Persian IR):
 * - removes tashkeel/harakat (U+064B–U+065F), superscript alef (U+0670), Quranic marks,
 *   tatweel (U+0640), bidi and zero-width marks; the Persian zero-width non-joiner
 *   (U+200C) joins the word parts (`می‌روم` = `میروم`);
 * - folds alef forms (أ إ آ ٱ) to ا, hamza seats (ؤ → و, ئ → ي), alef maksura ى → ي,
 *   teh marbuta ة → ه, Persian yeh ی and Farsi yeh ې/ۍ → ي, keheh ک → ك, Persian heh
 *   forms (ۀ ە) → ه;
 * - maps Arabic-Indic (٠–٩) and Persian (۰–۹) digits to 0–9.
 * Latin text is lower-cased and loses its accents (NFKD); English terms are
 * Porter-stemmed; Arabic-script terms are light-stemmed (see `arabicLightStem`).
 */

const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;
/** Zero-width and direction marks; ZWNJ handled separately (it joins). */
const INVISIBLES = /[\u200B\u200D\u200E\u200F\u061C\u2066-\u2069\u202A-\u202E\uFEFF\u00AD]/g;
const CHAR_FOLDS: Record<string, string> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ٲ': 'ا', 'ٳ': 'ا',
  'ؤ': 'و', 'ئ': 'ي', 'ى': 'ي', 'ی': 'ي', 'ې': 'ي', 'ۍ': 'ي', 'ێ': 'ي',
  'ة': 'ه', 'ۀ': 'ه', 'ە': 'ه', 'ہ': 'ه', 'ھ': 'ه',
  'ک': 'ك', 'ڪ': 'ك',
};
const FOLD_RE = new RegExp(`[${Object.keys(CHAR_FOLDS).join('')}]`, 'g');
const COMBINING = /\p{Mn}/gu;
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/;

function foldDigit(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c >= 0x0660 && c <= 0x0669) return String(c - 0x0660);
  return String(c - 0x06f0);
}

/** Normalized surface text (no stemming): lower case, folded letters and digits. */
export function normalizeText(text: string): string {
  // NFKD first: it splits hamza and madda off their seats (أ → ا + U+0654), Latin accents
  // off their letters, and maps presentation forms and ligatures back to plain letters;
  // the marks then go with the tashkeel.
  let s = text.replace(INVISIBLES, '').replace(/\u200C/g, '').normalize('NFKD');
  s = s.replace(COMBINING, '').replace(ARABIC_MARKS, '').replace(FOLD_RE, (ch) => CHAR_FOLDS[ch] ?? ch);
  s = s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, foldDigit);
  return s.normalize('NFC').toLowerCase();
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Common English and Arabic/Persian function words (normalized, unstemmed). */
const FUNCTION_WORDS = (
  'a about after again against all also am an and any are as at be because been before being below between both but by ' +
  'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
  'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
  'our ours ourselves out over own said same says she should so some such than that the their theirs them themselves then ' +
  'there these they this those through to too under until up very was we were what when where which while who whom why ' +
  'will with would you your yours yourself yourselves new one two year years told last week mln pct dlrs reuter ' +
  'monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow ' +
  'في من علي الي عن مع هذا هذه ذلك التي الذي ان او ثم قد كان كانت لا ما هو هي هم بعد قبل بين حتي كل وقال قال ' +
  // Reporting verbs, pronouns, particles and the days and months (Tunisian and Levantine
  // names too) that every Arabic story carries: sharing them says nothing about the subject.
  'اضاف اضافت اكد اكدت اوضح اوضحت اشار اشارت افاد افادت ذكر ذكرت قالت تابع كما لكن كذلك ايضا حيث اذا اذ انه انها ' +
  'الذين اللذين اللتين عند عندما خلال منذ حول ضد دون غير عبر لدي لدى اي او ام بل اما لم لن ليس ليست هناك هنا تم يتم ' +
  'كانوا يكون تكون سيتم وفق وفقا حسب بحسب نحو مثل ذات نفس بعض جميع عدد عده اكثر اقل فقط جدا يوم اليوم امس غدا الان ' +
  'سنه عام الاحد الاثنين الثلاثاء الاربعاء الخميس السبت صباح مساء ساعه واكد واكدت وقالت واضاف واضافت واشار ' +
  'جانفي فيفري مارس افريل ماي جوان جويليه اوت سبتمبر اكتوبر نوفمبر ديسمبر ' +
  'يناير فبراير ابريل مايو يونيو يوليو اغسطس ' +
  'و به بر با که را این آن از تا هم یا اما اگر برای ای بود است شد می نیز خود'
)
  .split(/\s+/)
  .map((w) => normalizeText(w));

/**
 * Arabic-script light stemming, after the usual practice of Arabic IR (Larkey's light
 * stemmers, as in common search engines' Arabic analyzers): one leading definite
 * article (with an attached conjunction or preposition), then the common plural,
 * feminine, relative and pronoun suffixes come off, each only while three letters remain. Applied after
 * normalization (teh marbuta is already heh), so `والمدرسات`, `المدرسة` and `مدرسه`
 * share the term `مدرس`; the Persian plural `ها` folds the same way.
 */
// The definite article with what attaches before it: a conjunction (و ف), a preposition
// (ب ك ل, لل being ل + ال), or both (وبال "and with the", فلل).
const ARABIC_PREFIXES = ['وبال', 'وكال', 'فبال', 'فكال', 'ولل', 'فلل', 'وال', 'بال', 'كال', 'فال', 'لل', 'ال'];
/**
 * Single-letter proclitics (و ف "and", ب "with/in", ل "for", ك "like") come off only
 * while four letters remain, and repeatedly, so a word and its clitic forms always meet
 * (بتونس and لتونس are تونس; ولاية, بولاية and لولاية all end as لايه): the rule depends
 * on the letters alone, so a word beginning with one of these letters is shortened the
 * same way wherever it stands. Four-letter words keep their first letter: وزير
 * ("minister") is not زير, and لاعب ("player") keeps its ل.
 */
const ARABIC_CLITICS = new Set(['و', 'ف', 'ب', 'ل', 'ك']);
const MIN_CLITIC_REST = 4;
/**
 * Common words of the news that begin with one of those letters and whose shortened
 * form would be another word (وزارة "ministry" would be زار "visited") or meet another
 * name (لبنان, بحرين): the stripping stops at them.
 */
const CLITIC_PROOF_STEMS = (
  'وزار وزير ولاي وكال وسائل وسيل وحد وطن وضع وثيق وثائق وقف واحد وادي وسط وجه ولد وقت وصل وفد وقع ورق وجود ' +
  'برنامج بطول بداي بلد بنك بيان بريطان بحرين بلاغ بورقيب باريس بنزرت بيت بحر بحث ' +
  'لبنان ليبي لجن لقاء لندن لاعب ' +
  'فرنس فريق فتر فلسطين فيديو فيسبوك فساد فرص ' +
  'كبير كتاب كوري كامل كاف كرة كره كلم كلي'
).split(' ');
// The dual ان is left on too: it ends names news is full of (لبنان Lebanon would be لبن
// "milk", ايران, سودان, سلمان), and a few common names are kept whole after the article.
const ARABIC_SUFFIXES = ['ها', 'ات', 'ون', 'ين', 'يه', 'ه', 'ي'];
const ARABIC_KEEP = new Set(['بحرين', 'سوريه', 'تركيه']);
const MIN_ARABIC_STEM = 3;

/**
 * Version of the index terms this analysis produces. Raise it whenever a change alters
 * any term of an already indexed text: an index built by another version is rebuilt.
 */
export const ANALYZER_VERSION = 3;

function stripArabicPrefix(word: string): string {
  let w = word;
  const article = ARABIC_PREFIXES.find((p) => word.startsWith(p) && word.length - p.length >= MIN_ARABIC_STEM);
  if (article) w = w.slice(article.length);
  // After the article too: الولاية must meet ولاية, which loses its و below.
  while (w.length - 1 >= MIN_CLITIC_REST && ARABIC_CLITICS.has(w[0]!) && !CLITIC_PROOF_STEMS.some((p) => w.startsWith(p))) w = w.slice(1);
  return w;
}

function arabicLightStem(word: string): string {
  let w = stripArabicPrefix(word);
  if (ARABIC_KEEP.has(w)) return w;
  let suffixed = false;
  for (const s of ARABIC_SUFFIXES) {
    if (w.endsWith(s) && w.length - s.length >= MIN_ARABIC_STEM) {
      w = w.slice(0, -s.length);
      suffixed = true;
    }
  }
  // Teh marbuta is written ت before an ending (مدينة, مدينتها; لجنة, اللجنتين): the same stem.
  if (suffixed && w.endsWith('ت') && w.length > MIN_ARABIC_STEM) w = w.slice(0, -1);
  return w;
}

const STEM_MEMO_LIMIT = 200_000;
const stemMemo = new Map<string, string>();

/** The index term of one normalized word (remembered: a vocabulary is far smaller than the words of an archive). */
export function stemWord(word: string): string {
  let stem = stemMemo.get(word);
  if (stem === undefined) {
    if (stemMemo.size >= STEM_MEMO_LIMIT) stemMemo.clear();
    stem = stemUncached(word);
    stemMemo.set(word, stem);
  }
  return stem;
}

function stemUncached(word: string): string {
  if (ARABIC_SCRIPT.test(word)) return arabicLightStem(word);
  return /^[a-z]+$/.test(word) ? porterStem(word) : word;
}

/**
 * Function words as index terms (stemmed, as documents and queries are: "was" is
 * `wa`), dropped from related-story terms and from queries beside other words; they
 * stay in the search index.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(FUNCTION_WORDS.map(stemWord));

/** Normalized words of a text, in order (no stemming). */
export function words(text: string): string[] {
  return normalizeText(text).match(WORD) ?? [];
}

/** Index terms of a text, in order: normalized, stemmed. */
export function analyze(text: string): string[] {
  return words(text).map(stemWord);
}

/** Index text: terms joined by spaces, what the full-text index stores for one field. */
export function indexText(text: string): string {
  return analyze(text).join(' ');
}

/** Whether an index term is a function word (or too short) to carry meaning for related stories. */
export function isContentTerm(term: string): boolean {
  return term.length > 1 && !STOP_WORDS.has(term) && !/^\d+$/.test(term);
}

/** A word or phrase of a user's query. */
export interface QueryClause {
  /** Index terms; more than one means a phrase (terms adjacent, in order). */
  terms: string[];
  /** The last (or only) term is a prefix (`elect*`). */
  prefix: boolean;
  /** `-word`: documents with it are excluded. */
  negated: boolean;
  /** Instead of `terms`: any one of these terms (what a prefix expands to in the index). */
  anyOf?: string[];
}

export interface ParsedQuery {
  clauses: QueryClause[];
  /** Every positive term, for highlighting. */
  highlightTerms: string[];
  /** Terms that are prefixes. */
  highlightPrefixes: string[];
}

const MAX_CLAUSES = 16;

/**
 * Parses what a reader types: words, `"quoted phrases"`, `prefix*` and `-excluded`
 * words. Operators of the engines' own syntaxes never pass through: the result is
 * rebuilt from terms by the repository.
 */
export function parseQuery(input: string): ParsedQuery {
  const clauses: QueryClause[] = [];
  const re = /(-?)"([^"]*)"?|(\S+)/g;
  for (const m of input.slice(0, 500).matchAll(re)) {
    if (clauses.length >= MAX_CLAUSES) break;
    if (m[2] !== undefined) {
      const terms = analyze(m[2]);
      if (terms.length) clauses.push({ terms, prefix: false, negated: m[1] === '-' });
      continue;
    }
    let token = m[3] ?? '';
    const negated = token.startsWith('-') && token.length > 1;
    if (negated) token = token.slice(1);
    const prefix = /\*$/.test(token);
    const parts = words(token);
    if (!parts.length) continue;
    if (prefix && parts.length === 1) {
      // A prefix is matched against stems, so it is normalized but not stemmed ("elect*" finds "elections").
      const p = parts[0]!;
      if (p.length >= 2) clauses.push({ terms: [stemPrefix(p)], prefix: true, negated });
      continue;
    }
    // "U.S." or "al-Qusayr": several words in one token match as a phrase.
    clauses.push({ terms: parts.map(stemWord), prefix: false, negated });
  }
  const positive = clauses.filter((c) => !c.negated);
  return {
    clauses,
    highlightTerms: positive.filter((c) => !c.prefix).flatMap((c) => c.terms),
    highlightPrefixes: positive.filter((c) => c.prefix).flatMap((c) => c.terms),
  };
}

/** A typed prefix: a leading Arabic article or conjunction removed as from a full word (the end is unfinished), Latin left as typed. */
function stemPrefix(p: string): string {
  return ARABIC_SCRIPT.test(p) ? stripArabicPrefix(p) : p;
}

/** Term frequencies of the content terms of a text. */
export function termFrequencies(terms: string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of terms) if (isContentTerm(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}
