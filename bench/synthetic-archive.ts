/**
 * A synthetic news archive for the scale benchmarks (`bench:data`, `bench:search`):
 * sections, content types, Zipf-distributed tags (topic/person/organisation/place),
 * lead media and articles spread over years, grouped into recurring "stories" whose
 * topic words, names and tags recur so related lists have something to find; a few
 * percent are Arabic. Rows go straight into the tables in batched multi-row inserts
 * (no publishing hooks); the search index is then built in bulk by the reindex path.
 * Every article is a pure function of (seed, id): see `articleSpec`.
 */
import { sql, type Kysely } from 'kysely';
import { slugify } from '../src/domain/slug.js';
import type { Database, NewArticleRow, NewMediaRow, TagKind } from '../src/db/schema.js';
import {
  arabicVocabulary,
  articleText,
  englishVocabulary,
  int,
  mixSeed,
  pick,
  prng,
  ZipfSampler,
  type Rng,
  type TextSource,
  type Vocabulary,
} from './synthetic-text.js';

export const SECTIONS = ['news', 'world', 'politics', 'business', 'economy', 'sport', 'culture', 'science', 'health', 'technology', 'opinion', 'middle-east'];
/** Content types of migration 001 with their share of the archive. */
const CONTENT_TYPES: [number, number][] = [[21, 0.7], [24, 0.08], [25, 0.05], [22, 0.07], [23, 0.08], [26, 0.02]];
const PLACES = ['London', 'Paris', 'Cairo', 'Beirut', 'Damascus', 'Baghdad', 'Tehran', 'Moscow', 'Washington', 'Berlin', 'Geneva', 'Doha', 'Riyadh', 'Istanbul', 'Kabul', 'Tokyo', 'Nairobi', 'Lagos', 'Delhi', 'Brussels'];
const AR_PLACES = ['دمشق', 'بغداد', 'بيروت', 'القاهرة', 'الرياض', 'الدوحة', 'طهران', 'عمان', 'صنعاء', 'تونس'];
const ORG_SUFFIXES = ['Council', 'Party', 'Bank', 'Ministry', 'Union', 'Corporation', 'Agency', 'Commission', 'Federation', 'Institute'];
const SOURCES = ['Staff', 'Agencies', 'Reuters', 'AFP', 'Correspondents'];

export interface ArchiveOptions {
  articles: number;
  seed: number;
  /** Publish times spread over this many years, ending now. */
  years: number;
  /** Share of Arabic stories (and so articles). */
  arabicShare: number;
  /** `now` of the archive (publish times end here). */
  now: number;
}

export const DEFAULT_ARCHIVE: Omit<ArchiveOptions, 'articles' | 'now'> = { seed: 20240501, years: 12, arabicShare: 0.04 };

interface TagSpec {
  id: number;
  kind: TagKind;
  name: string;
  language: string;
}

interface Story {
  arabic: boolean;
  sectionIndex: number;
  topicWords: string[];
  names: string[];
  place: string;
  tagIds: number[];
}

/** One article, before it has a lead media id. */
export interface ArticleSpec {
  id: number;
  storyIndex: number;
  story: Story;
  language: string;
  status: 'published' | 'draft' | 'unpublished';
  contentTypeId: number;
  sectionIndex: number;
  publishedAt: number;
  headline: string;
  dek: string;
  paragraphs: string[];
  byline: string;
  tagIds: number[];
  media: 'image' | 'video' | null;
}

/** The deterministic model of an archive: vocabularies, tags, stories; articles on demand. */
export class SyntheticArchive {
  readonly en: Vocabulary;
  readonly ar: Vocabulary;
  readonly tags: TagSpec[];
  readonly storyCount: number;
  private readonly tagZipf: { en: ZipfSampler; ar: ZipfSampler };
  private readonly tagsByLanguage: { en: TagSpec[]; ar: TagSpec[] };
  private readonly evergreen: ZipfSampler;
  private readonly stories = new Map<number, Story>();
  private readonly reporters: string[];

  constructor(readonly options: ArchiveOptions) {
    this.en = englishVocabulary(options.seed);
    this.ar = arabicVocabulary(options.seed);
    const rng = prng(mixSeed(options.seed, 3));
    const tagCount = Math.min(30_000, Math.max(300, Math.round(options.articles / 20)));
    const name = (v: Vocabulary, lo: number, hi: number) => v.words[int(rng, lo, Math.min(hi, v.words.length - 1))]!;
    const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
    this.tags = [];
    for (let i = 0; i < tagCount; i++) {
      const arabic = i % 10 === 9;
      const kind = (['topic', 'topic', 'topic', 'topic', 'person', 'person', 'organisation', 'organisation', 'place', 'place'] as const)[i % 10 === 9 ? int(rng, 0, 9) : i % 10]!;
      const v = arabic ? this.ar : this.en;
      const text =
        kind === 'topic'
          ? `${name(v, 100, 5000)}${rng() < 0.5 ? ` ${name(v, 100, 5000)}` : ''}`
          : kind === 'person'
            ? arabic ? `${name(v, 500, 15000)} ${name(v, 500, 15000)}` : `${cap(name(v, 2000, 40000))} ${cap(name(v, 2000, 40000))}`
            : kind === 'organisation'
              ? arabic ? `هيئة ${name(v, 500, 15000)}` : `${cap(name(v, 1000, 40000))} ${pick(rng, ORG_SUFFIXES)}`
              : i < 200 ? (arabic ? pick(rng, AR_PLACES) : pick(rng, PLACES)) : arabic ? name(v, 500, 15000) : cap(name(v, 2000, 40000));
      this.tags.push({ id: i + 1, kind, name: text, language: arabic ? 'ar' : 'en' });
    }
    this.tagsByLanguage = { en: this.tags.filter((t) => t.language === 'en'), ar: this.tags.filter((t) => t.language === 'ar') };
    this.tagZipf = { en: new ZipfSampler(this.tagsByLanguage.en.length, 1), ar: new ZipfSampler(this.tagsByLanguage.ar.length, 1) };
    // About 40 articles per story; stories run for a while around their place in time.
    this.storyCount = Math.max(20, Math.round(options.articles / 40));
    this.evergreen = new ZipfSampler(Math.min(this.storyCount, 500), 1);
    this.reporters = Array.from({ length: 300 }, () => `${cap(name(this.en, 2000, 40000))} ${cap(name(this.en, 2000, 40000))}`);
  }

  story(k: number): Story {
    let s = this.stories.get(k);
    if (s) return s;
    const rng = prng(mixSeed(this.options.seed, 10_000_000 + k));
    const arabic = rng() < this.options.arabicShare;
    const v = arabic ? this.ar : this.en;
    const lang = arabic ? 'ar' : 'en';
    const topicWords = Array.from({ length: int(rng, 4, 6) }, () => v.words[int(rng, 200, Math.min(20_000, v.words.length - 1))]!);
    const tagIds: number[] = [];
    const names: string[] = [];
    for (let i = int(rng, 1, 3); i > 0; i--) {
      const tag = this.tagsByLanguage[lang][this.tagZipf[lang].draw(rng)]!;
      tagIds.push(tag.id);
      if (tag.kind !== 'topic') names.push(tag.name);
    }
    const place = arabic ? pick(rng, AR_PLACES) : pick(rng, PLACES);
    names.push(place);
    s = { arabic, sectionIndex: arabic && rng() < 0.5 ? SECTIONS.length - 1 : int(rng, 0, SECTIONS.length - 1), topicWords, names, place, tagIds };
    if (this.stories.size > 50_000) this.stories.clear();
    this.stories.set(k, s);
    return s;
  }

  /** Article `id` (1-based), reproducible on its own. */
  article(id: number): ArticleSpec {
    const { articles, seed, years, now } = this.options;
    const rng = prng(mixSeed(seed, id));
    const position = (id - 1) / articles;
    const span = years * 365.25 * 86_400_000;
    const publishedAt = Math.round(now - span + position * span - rng() * 1_800_000);
    const storyIndex = rng() < 0.15 ? this.evergreen.draw(rng) : clamp(Math.round(position * this.storyCount + gaussian(rng) * 6), 0, this.storyCount - 1);
    const story = this.story(storyIndex);
    const src: TextSource = {
      vocabulary: story.arabic ? this.ar : this.en,
      arabic: story.arabic,
      topicWords: story.topicWords,
      names: story.names,
      topicRate: 0.03,
    };
    const text = articleText(rng, src);
    const contentTypeId = weighted(rng, CONTENT_TYPES);
    const lang = story.arabic ? 'ar' : 'en';
    const extra = Array.from({ length: int(rng, 0, 3) }, () => this.tagsByLanguage[lang][this.tagZipf[lang].draw(rng)]!.id);
    const r = rng();
    return {
      id,
      storyIndex,
      story,
      language: lang,
      status: r < 0.01 ? 'draft' : r < 0.02 ? 'unpublished' : 'published',
      contentTypeId,
      sectionIndex: rng() < 0.7 ? story.sectionIndex : int(rng, 0, SECTIONS.length - 1),
      publishedAt,
      headline: text.headline,
      dek: text.dek,
      paragraphs: text.paragraphs,
      byline: pick(rng, this.reporters),
      tagIds: [...new Set([...story.tagIds, ...extra])],
      media: contentTypeId === 22 ? 'video' : contentTypeId === 23 || rng() < 0.6 ? 'image' : null,
    };
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}
function weighted(rng: Rng, items: [number, number][]): number {
  let r = rng();
  for (const [v, w] of items) if ((r -= w) < 0) return v;
  return items[0]![0];
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Writes the archive into an empty, migrated database: sections, tags, then articles
 * with their lead media and tags in transactions of `batch` articles (multi-row inserts).
 * Calls `progress(done)` after each batch. Does not index.
 */
export async function loadArchive(db: Kysely<Database>, archive: SyntheticArchive, progress: (done: number) => void, batch = 250): Promise<void> {
  const existing = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  if (Number(existing?.n ?? 0) > 0) throw new Error('the database already holds articles; generate into an empty one');
  await db
    .insertInto('sections')
    .values(SECTIONS.map((slug, i) => ({ id: i + 1, slug, name: slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()), names_json: '{}', position: i })))
    .execute();
  for (let i = 0; i < archive.tags.length; i += 1000) {
    await db
      .insertInto('tags')
      .values(archive.tags.slice(i, i + 1000).map((t) => ({ id: t.id, kind: t.kind, name: t.name, language: t.language, slug: `${t.kind}-${slugify(t.name)}-${t.id}` })))
      .execute();
  }
  let mediaId = 0;
  const total = archive.options.articles;
  for (let first = 1; first <= total; first += batch) {
    const media: NewMediaRow[] = [];
    const articles: NewArticleRow[] = [];
    const links: { article_id: number; tag_id: number; position: number }[] = [];
    for (let id = first; id < Math.min(first + batch, total + 1); id++) {
      const a = archive.article(id);
      let leadMediaId: number | null = null;
      if (a.media) {
        leadMediaId = ++mediaId;
        const d = new Date(a.publishedAt).toISOString().slice(0, 10).replace(/-/g, '/');
        media.push({
          id: leadMediaId,
          kind: a.media,
          storage_key: `${d}/bench_${a.id}.${a.media === 'video' ? 'mp4' : 'jpg'}`,
          mime: a.media === 'video' ? 'video/mp4' : 'image/jpeg',
          width: 1600,
          height: 900,
          duration_ms: a.media === 'video' ? 90_000 : null,
          poster_key: null,
          alt: a.headline.slice(0, 80),
          caption: a.dek.slice(0, 120),
          credit: 'Bench Photo',
          created_at: a.publishedAt,
          state: 'none',
        } as NewMediaRow);
      }
      const published = a.status === 'published' || a.status === 'unpublished';
      articles.push({
        id: a.id,
        language: a.language,
        translation_group: null,
        content_type_id: a.contentTypeId,
        section_id: a.sectionIndex + 1,
        status: a.status,
        slug: slugify(a.headline),
        headline: a.headline,
        dek: a.dek,
        byline: a.byline,
        source: SOURCES[a.id % SOURCES.length]!,
        place: a.story.place,
        lead_media_id: leadMediaId,
        first_published_at: published ? a.publishedAt : null,
        published_at: published ? a.publishedAt : null,
        created_at: a.publishedAt - 3_600_000,
        updated_at: a.publishedAt,
        body_html: a.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n'),
        body_text: a.paragraphs.join('\n\n'),
      } as NewArticleRow);
      a.tagIds.forEach((tagId, position) => links.push({ article_id: a.id, tag_id: tagId, position }));
    }
    await db.transaction().execute(async (trx) => {
      if (media.length) await trx.insertInto('media').values(media).execute();
      await trx.insertInto('articles').values(articles).execute();
      for (let i = 0; i < links.length; i += 1000) await trx.insertInto('article_tags').values(links.slice(i, i + 1000)).execute();
    });
    progress(Math.min(first + batch - 1, total));
  }
}

/**
 * After explicit ids: PostgreSQL identity sequences continue after the largest id; planner
 * statistics refreshed. On PostgreSQL the loaded tables are vacuumed too, as autovacuum would
 * do after a bulk load on a default server: unvacuumed, every index-only read (a tag's
 * articles, the related lists' shared tags) visits the table for each row. Some servers run
 * with autovacuum off (this project's development machine does).
 */
export async function finishLoad(db: Kysely<Database>, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine === 'postgres') {
    for (const table of ['articles', 'media', 'tags', 'sections']) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(db);
    }
    await db.connection().execute(async (one) => {
      await sql`set statement_timeout = 0`.execute(one);
      await sql`vacuum (analyze)`.execute(one);
      await sql`reset statement_timeout`.execute(one);
    });
    return;
  }
  await sql`analyze`.execute(db);
}
