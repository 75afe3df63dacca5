import { normalizeText } from './text-analysis.js';

/** A named entity found in an article's text. */
export type EntityKind = 'person' | 'organisation' | 'place';

export interface ExtractedEntity {
  kind: EntityKind;
  /** The name as written (first occurrence). */
  name: string;
  /** `kind:normalized name`: what two articles must share to share the entity. */
  key: string;
  /** Mentions in the text (the headline counts double). */
  count: number;
}

export interface EntitySource {
  headline: string;
  dek?: string;
  body: string;
  /** The article's place field (dateline place). */
  place?: string;
  /**
   * Names that are never entities: the site's own name, the publisher, the agency (the
   * article's source). Every story carries them, so sharing them says nothing; an entity
   * whose words hold such a name, or are all within one, is left out.
   */
  houseNames?: string[];
}

// A small gazetteer of places that news names every day, in English, Arabic and Persian.
const PLACES = new Set(
  [
    'Afghanistan', 'Algeria', 'Argentina', 'Australia', 'Austria', 'Bahrain', 'Bangladesh', 'Belgium', 'Brazil', 'Britain',
    'Canada', 'Chile', 'China', 'Colombia', 'Cuba', 'Denmark', 'Egypt', 'Ethiopia', 'Europe', 'Africa', 'Asia', 'France',
    'Germany', 'Greece', 'India', 'Indonesia', 'Iran', 'Iraq', 'Ireland', 'Israel', 'Italy', 'Japan', 'Jordan', 'Kenya',
    'Kuwait', 'Lebanon', 'Libya', 'Malaysia', 'Mexico', 'Morocco', 'Netherlands', 'Nigeria', 'Norway', 'Oman', 'Pakistan',
    'Palestine', 'Peru', 'Philippines', 'Poland', 'Portugal', 'Qatar', 'Russia', 'Saudi Arabia', 'Singapore', 'Somalia',
    'South Africa', 'South Korea', 'North Korea', 'Spain', 'Sudan', 'Sweden', 'Switzerland', 'Syria', 'Taiwan', 'Tunisia',
    'Turkey', 'Ukraine', 'United States', 'United Kingdom', 'United Arab Emirates', 'Venezuela', 'Vietnam', 'Yemen', 'Gaza',
    'London', 'Paris', 'Berlin', 'Moscow', 'Beijing', 'Tokyo', 'Washington', 'New York', 'Brussels', 'Geneva', 'Vienna',
    'Cairo', 'Damascus', 'Baghdad', 'Beirut', 'Tehran', 'Riyadh', 'Doha', 'Dubai', 'Abu Dhabi', 'Amman', 'Ankara',
    'Istanbul', 'Jerusalem', 'Kabul', 'Sanaa', 'Aleppo', 'Homs', 'Qusayr', 'Mosul', 'Basra', 'Isfahan', 'Mashhad', 'Tabriz',
    'Shiraz', 'Delhi', 'Mumbai', 'Karachi', 'Lagos', 'Nairobi', 'Johannesburg', 'Sydney', 'Toronto', 'Ottawa', 'Mexico City',
    'Rome', 'Madrid', 'Athens', 'Kyiv', 'Kiev', 'Tripoli', 'Tunis', 'Algiers', 'Rabat', 'Khartoum', 'Muscat', 'Manama',
    'سوريا', 'سورية', 'مصر', 'العراق', 'ايران', 'لبنان', 'الاردن', 'فلسطين', 'غزة', 'اليمن', 'السعودية', 'قطر', 'الكويت',
    'البحرين', 'عمان', 'الامارات', 'ليبيا', 'تونس', 'الجزائر', 'المغرب', 'السودان', 'تركيا', 'روسيا', 'الصين', 'فرنسا',
    'المانيا', 'بريطانيا', 'امريكا', 'الولايات المتحدة', 'دمشق', 'حلب', 'حمص', 'القصير', 'بغداد', 'الموصل', 'البصرة',
    'بيروت', 'القاهرة', 'طهران', 'الرياض', 'الدوحة', 'دبي', 'عمان', 'القدس', 'صنعاء', 'انقرة', 'اسطنبول', 'لندن', 'باريس',
    'موسكو', 'واشنطن', 'جنيف', 'بكين',
    'سوریه', 'عراق', 'ایران', 'لبنان', 'افغانستان', 'ترکیه', 'روسیه', 'چین', 'فرانسه', 'آلمان', 'انگلیس', 'آمریکا',
    'تهران', 'اصفهان', 'مشهد', 'تبریز', 'شیراز', 'کابل', 'بغداد', 'دمشق', 'بیروت', 'قاهره', 'مسکو', 'لندن', 'پاریس',
    'واشنگتن', 'ژنو', 'وین', 'پکن', 'خلیج فارس',
  ].map((p) => normalizeText(p)),
);

const PERSON_TITLES = new Set(
  [
    'President', 'Prime Minister', 'Minister', 'Secretary', 'Chancellor', 'King', 'Queen', 'Prince', 'Princess', 'Sheikh',
    'General', 'Gen', 'Colonel', 'Senator', 'Sen', 'Judge', 'Pope', 'Ayatollah', 'Mr', 'Mrs', 'Ms', 'Dr', 'Professor',
    'Prof', 'Governor', 'Mayor', 'Chairman', 'Director', 'Coach', 'Captain', 'Ambassador', 'Spokesman', 'Spokeswoman',
  ].map((t) => t.toLowerCase()),
);

const ORG_WORDS = new Set(
  [
    'Bank', 'Party', 'Ministry', 'Council', 'Organisation', 'Organization', 'Union', 'Company', 'Corp', 'Corporation',
    'Inc', 'Ltd', 'Plc', 'Group', 'Agency', 'University', 'Association', 'Committee', 'Commission', 'Fund', 'Federation',
    'Institute', 'Army', 'Forces', 'Court', 'Parliament', 'Assembly', 'Front', 'Movement', 'Authority', 'Club', 'FC',
    'Airlines', 'Airways', 'Exchange', 'Reserve', 'Department', 'Office', 'Foundation', 'Society', 'Brigade', 'Brigades',
    'Congress', 'Senate', 'Board', 'Trust', 'Co', 'Industries', 'Holdings', 'Petroleum', 'Motors', 'Nations', 'Network',
  ].map((t) => t.toLowerCase()),
);

/** Capitalized words that start sentences or name times, not entities. */
const NOT_NAMES = new Set(
  (
    'The A An And But Or If In On At By For From To Of With As It Its This That These Those He She They We I You His Her ' +
    'Their Our There Here When Where While After Before During Since Until Although However Meanwhile Yet Still Also ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August ' +
    'September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mr Mrs Ms Dr No Yes Some ' +
    'Many Most More All Each Every Other Another One Two Three Four Five Six Seven Eight Nine Ten First Second Third Last ' +
    'New According Officials Police Witnesses Residents Reuters Asked Speaking Under Over Despite Because Earlier Later ' +
    'Today Tomorrow Yesterday Now Then So Such Several Both Neither Either What Who Why How Which Not'
  ).split(' '),
);

const CONNECTORS = new Set(['of', 'al', 'bin', 'ibn', 'de', 'van', 'von', 'la', 'du', 'der', 'and', 'for', 'the', '&']);

const AR_PERSON_CUES = new Set(
  ['الرئيس', 'رئيس', 'الوزير', 'وزير', 'الشيخ', 'الملك', 'الامير', 'السيد', 'السيدة', 'الدكتور', 'العميد', 'اللواء', 'العقيد', 'المتحدث',
    'رييس', 'رئیس', 'وزیر', 'آقای', 'خانم', 'دکتر', 'سردار', 'ایت', 'آیت'].map((w) => normalizeText(w)),
);
/** Words after a title that name the office, not the person ("وزير الخارجية …"). */
const AR_OFFICE_WORDS = new Set(
  ['الوزراء', 'الخارجية', 'الداخلية', 'الدفاع', 'الحكومة', 'الجمهورية', 'المالية', 'الاقتصاد', 'باسم', 'الله', 'جمهور', 'امور',
    'خارجه', 'دفاع', 'کشور', 'دولت', 'مجلس', 'اقتصاد', 'الامن', 'الصحة', 'التعليم', 'الاعلام', 'النفط'].map((w) => normalizeText(w)),
);
const AR_ORG_CUES = new Set(
  ['منظمة', 'حزب', 'وزارة', 'شركة', 'بنك', 'مجلس', 'جامعة', 'اتحاد', 'هيئة', 'جمعية', 'حركة', 'جبهة', 'مصرف', 'صندوق',
    'سازمان', 'وزارت', 'شرکت', 'بانک', 'دانشگاه', 'اتحادیه', 'جنبش', 'صندوق'].map((w) => normalizeText(w)),
);

const SENTENCE_END = /[.!?؟؛\n]$/;

interface Mention {
  kind: EntityKind;
  name: string;
}

function tokens(text: string): { word: string; sentenceStart: boolean; before: string }[] {
  const out: { word: string; sentenceStart: boolean; before: string }[] = [];
  let sentenceStart = true;
  let before = '';
  for (const m of text.matchAll(/[\p{L}\p{M}\p{N}\u200C'’&-]+|[.!?؟؛,،:;()"«»\n]/gu)) {
    const w = m[0];
    if (/^[.!?؟؛\n]$/.test(w)) {
      sentenceStart = true;
      before = w;
      continue;
    }
    if (/^[,،:;()"«»]$/.test(w)) {
      before = w;
      continue;
    }
    out.push({ word: w.replace(/['’]s$/, ''), sentenceStart, before });
    sentenceStart = SENTENCE_END.test(w);
    before = '';
  }
  return out;
}

const isCapitalized = (w: string) => /^\p{Lu}/u.test(w);
const isAcronym = (w: string) => /^\p{Lu}{2,6}$/u.test(w);

type Token = ReturnType<typeof tokens>[number];

/** A text's mentions: Latin-script names, then Arabic-script ones, from one tokenization. */
function mentions(text: string): Mention[] {
  let toks: Token[] | null = null;
  const tokenized = () => (toks ??= tokens(text));
  const out = latinMentions(text, tokenized);
  // A text without Arabic letters has no Arabic-script tokens to look at.
  if (ARABIC_LETTER.test(text)) out.push(...arabicMentions(tokenized()));
  return out;
}

const ARABIC_LETTER = /\p{Script=Arabic}/u;

/** Latin-script names: runs of capitalized words, classified by titles, organisation words and the gazetteer. */
function latinMentions(text: string, tokenized: () => Token[]): Mention[] {
  // Text in capitals (wire headlines) carries no capitalization signal.
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (!letters || letters.replace(/\p{Lu}/gu, '').length < letters.length * 0.3) return [];
  const toks = tokenized();
  const out: Mention[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (!isCapitalized(t.word) || (NOT_NAMES.has(t.word) && !isAcronym(t.word))) continue;
    if (t.sentenceStart && NOT_NAMES.has(t.word)) continue;
    const run = [t.word];
    let j = i + 1;
    while (j < toks.length && toks[j]!.before === '') {
      const w = toks[j]!.word;
      if (isCapitalized(w) && !NOT_NAMES.has(w)) run.push(w);
      else if (CONNECTORS.has(w.toLowerCase()) && j + 1 < toks.length && isCapitalized(toks[j + 1]!.word) && toks[j + 1]!.before === '') run.push(w);
      else break;
      j++;
    }
    // A title before the run ("President Lina Haddad", "Prime Minister X").
    const prev = toks[i - 1]?.word.toLowerCase().replace(/\.$/, '');
    const prev2 = i >= 2 ? `${toks[i - 2]!.word} ${toks[i - 1]!.word}`.toLowerCase() : '';
    let words = run;
    let titled = (prev !== undefined && PERSON_TITLES.has(prev) && toks[i]!.before === '') || PERSON_TITLES.has(prev2);
    while (words.length > 1 && PERSON_TITLES.has(words[0]!.toLowerCase().replace(/\.$/, ''))) {
      words = words.slice(1);
      titled = true;
    }
    i = j - 1;
    const name = words.join(' ').replace(/-$/, '');
    const key = normalizeText(name);
    if (!key || (t.sentenceStart && words.length === 1 && !PLACES.has(key) && !isAcronym(name) && !titled)) continue;
    const last = words[words.length - 1]!.toLowerCase().replace(/\.$/, '');
    if (PLACES.has(key)) out.push({ kind: 'place', name });
    else if (ORG_WORDS.has(last) || words.some((w) => ORG_WORDS.has(w.toLowerCase()) && words.length > 1)) out.push({ kind: 'organisation', name });
    else if (isAcronym(name)) out.push({ kind: name === 'US' || name === 'UK' || name === 'UAE' ? 'place' : 'organisation', name });
    else if (titled) out.push({ kind: 'person', name });
    else if (words.length >= 2 && words.length <= 3 && !words.some((w) => CONNECTORS.has(w.toLowerCase()))) out.push({ kind: 'person', name });
    else if (words.length === 1 && /^(in|at|from|near|to)$/i.test(toks[i - words.length]?.word ?? '')) out.push({ kind: 'place', name });
  }
  return out;
}

/** Arabic-script names: gazetteer places, and names after person titles and organisation words. */
function arabicMentions(tokenized: Token[]): Mention[] {
  const toks = tokenized.filter((t) => ARABIC_LETTER.test(t.word));
  const norm = toks.map((t) => normalizeText(t.word));
  const out: Mention[] = [];
  for (let i = 0; i < toks.length; i++) {
    const n = norm[i]!;
    const two = i + 1 < toks.length ? `${n} ${norm[i + 1]}` : '';
    if (two && PLACES.has(two)) {
      out.push({ kind: 'place', name: `${toks[i]!.word} ${toks[i + 1]!.word}` });
      i++;
      continue;
    }
    // The place may carry a conjunction or preposition: "وحلب", "بدمشق", "ودمشق".
    const bare = PLACES.has(n) ? n : /^[وبلف]/.test(n) && PLACES.has(n.slice(1)) ? n.slice(1) : null;
    if (bare) {
      out.push({ kind: 'place', name: toks[i]!.word.slice(n === bare ? 0 : 1) });
      continue;
    }
    if (AR_PERSON_CUES.has(n)) {
      let j = i + 1;
      while (j < toks.length && AR_OFFICE_WORDS.has(norm[j]!)) j++;
      const parts = toks.slice(j, j + 2).filter((t, k) => !AR_OFFICE_WORDS.has(norm[j + k]!) && !PLACES.has(norm[j + k]!));
      if (parts.length === 2 && toks[j]!.before === '' && toks[j + 1]!.before === '') {
        out.push({ kind: 'person', name: parts.map((p) => p.word).join(' ') });
        i = j + 1;
      }
      continue;
    }
    if (AR_ORG_CUES.has(n) && i + 1 < toks.length && toks[i + 1]!.before === '') {
      out.push({ kind: 'organisation', name: `${toks[i]!.word} ${toks[i + 1]!.word}` });
      i++;
    }
  }
  return out;
}

/**
 * People, organisations and places named in an article, most mentioned first. Rules
 * and a small gazetteer, no model: good enough to suggest tags to editors and to
 * link stories that name the same people; editors confirm suggestions.
 */
export function extractEntities(source: EntitySource, limit = 20): ExtractedEntity[] {
  // The headline counts twice: its mentions are found once and added twice.
  const headline = source.headline ? mentions(source.headline) : [];
  const found = [headline, headline, source.dek ? mentions(source.dek) : [], source.body ? mentions(source.body) : []];
  const byKey = new Map<string, ExtractedEntity>();
  const add = (m: Mention) => {
    const key = `${m.kind}:${normalizeText(m.name)}`;
    const e = byKey.get(key);
    if (e) e.count++;
    else byKey.set(key, { kind: m.kind, name: m.name, key, count: 1 });
  };
  for (const list of found) for (const m of list) add(m);
  if (source.place?.trim()) add({ kind: 'place', name: source.place.trim() });
  // Later mentions by surname alone ("Haddad said") count for the full name.
  const people = [...byKey.values()].filter((e) => e.kind === 'person' && e.name.includes(' '));
  for (const single of [...byKey.values()]) {
    if (single.name.includes(' ')) continue;
    const full = people.find((p) => p.name.endsWith(` ${single.name}`));
    if (full) {
      full.count += single.count;
      byKey.delete(single.key);
    }
  }
  const house = (source.houseNames ?? []).map((n) => nameWords(n)).filter((w) => w.length);
  const isHouse = (name: string) => {
    const w = nameWords(name);
    return house.some((h) => h.every((x) => w.includes(x)) || w.every((x) => h.includes(x)));
  };
  return [...byKey.values()]
    .filter((e) => !house.length || !isHouse(e.name))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .slice(0, limit);
}

/** A name's normalized words, an Arabic article or conjunction off each (الجوهرة and جوهرة are one name). */
function nameWords(name: string): string[] {
  return (normalizeText(name).match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.replace(/^(وال|بال|لل|ال)(?=\p{L}{2})/u, ''));
}
