import type { Kysely } from 'kysely';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Repositories } from '../db/repositories/index.js';
import type { Database } from '../db/schema.js';
import { drawDemoPicture, drawDemoVideo } from '../demo/demo-pictures.js';
import type { DemoArticle, DemoSection } from '../demo/demo-types.js';
import type { MediaStore } from '../storage/media-store.js';
import type { CatalogService } from './catalog.service.js';
import type { Clock } from './clock.js';
import type { MediaService } from './media.service.js';
import type { PublishingService } from './publishing.service.js';

export const DEMO_SECTIONS: { slug: DemoSection; name: string; names: Record<string, string> }[] = [
  { slug: 'world', name: 'World', names: { ar: 'العالم', fa: 'جهان' } },
  { slug: 'middle-east', name: 'Middle East', names: { ar: 'الشرق الأوسط', fa: 'خاورمیانه' } },
  { slug: 'business', name: 'Business', names: { ar: 'اقتصاد', fa: 'اقتصاد' } },
  { slug: 'science', name: 'Science', names: { ar: 'علوم', fa: 'دانش' } },
  { slug: 'sport', name: 'Sport', names: { ar: 'رياضة', fa: 'ورزش' } },
  { slug: 'culture', name: 'Culture', names: { ar: 'ثقافة', fa: 'فرهنگ' } },
];

/** The demo texts, loaded only when the demo is (they are not needed to serve). */
export async function demoArticles(): Promise<DemoArticle[]> {
  return (await import('../demo/demo-content.js')).DEMO_ARTICLES;
}

const DAY_MS = 86_400_000;

export interface DemoReport {
  articles: number;
  media: number;
  videosWithoutFile: number;
  relatedLinks: number;
}


/** Loads (or reloads) the demo newsroom written for this project. */
export class DemoService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: Repositories,
    private readonly publishing: PublishingService,
    private readonly catalog: CatalogService,
    private readonly media: MediaService,
    private readonly store: MediaStore,
    private readonly clock: Clock,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  async isEmpty(): Promise<boolean> {
    return !(await this.repos.articles.any());
  }

  /** Removes all content (articles, media, tags, sections) and the stored media files. */
  async reset(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.repos.related.deleteAll(trx);
      await this.repos.articles.deleteAll(trx);
      await this.repos.media.deleteAll(trx);
      await this.repos.taxonomy.deleteAllSectionsAndTags(trx);
    });
    await this.store.clear();
    this.catalog.invalidate();
  }

  async load(): Promise<DemoReport> {
    const now = this.clock();
    const sectionIds = new Map<string, number>();
    for (const [position, s] of DEMO_SECTIONS.entries()) {
      sectionIds.set(s.slug, await this.repos.taxonomy.insertSection({ ...s, position }));
    }
    this.catalog.invalidate();
    const types = new Map((await this.catalog.contentTypes()).map((t) => [t.name, t.id]));

    const ids = new Map<string, number>();
    const report: DemoReport = { articles: 0, media: 0, videosWithoutFile: 0, relatedLinks: 0 };
    // Oldest first, so ids grow with time as they would in a real newsroom.
    const ordered = (await demoArticles()).map((a) => ({ a, at: this.publishTime(a, now) })).sort((x, y) => x.at - y.at);
    for (const { a, at } of ordered) {
      const leadMediaId = await this.createMedia(a, at - 20 * 60_000, report);
      const id = await this.publishing.createArticle({
        language: a.language,
        contentTypeId: types.get(a.contentType) ?? types.get('news')!,
        sectionId: sectionIds.get(a.section)!,
        status: 'published',
        headline: a.headline,
        dek: a.dek,
        bodyHtml: a.paragraphs.map((p) => `<p>${p}</p>`).join('\n'),
        byline: a.byline,
        source: a.source,
        place: a.place,
        leadMediaId,
        publishedAt: at,
        tags: a.tags,
      });
      ids.set(a.key, id);
      report.articles++;
    }
    for (const { a } of ordered) {
      const related = a.related.map((k) => ids.get(k)).filter((id): id is number => id !== undefined);
      await this.publishing.setRelated(ids.get(a.key)!, related);
      report.relatedLinks += related.length;
    }
    return report;
  }

  /** `daysAgo` days before today at hour:minute UTC, kept in the past. */
  private publishTime(a: DemoArticle, now: number): number {
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    let at = today - a.daysAgo * DAY_MS + (a.hour * 60 + a.minute) * 60_000;
    if (at > now) at = now - (a.daysAgo + 1) * 37 * 60_000;
    return at;
  }

  /** Draws the article's picture (and clip) and puts it through the same checks and storage as an upload. */
  private async createMedia(a: DemoArticle, uploadedAt: number, report: DemoReport): Promise<number> {
    const video = a.media.kind === 'video';
    const picture = await drawDemoPicture(a.key, a.media.palette, video);
    const clip = video ? await drawDemoVideo(picture.data) : null;
    if (video && !clip) {
      report.videosWithoutFile++;
      this.warn(`ffmpeg is not installed: demo video report "${a.headline}" shows a still picture instead (install ffmpeg and run "dateline demo --reset").`);
    }
    const dir = await mkdtemp(join(tmpdir(), 'dateline-demo-'));
    try {
      const path = join(dir, clip ? 'clip.mp4' : 'picture.jpg');
      await writeFile(path, clip ? clip.data : picture.data);
      const item = await this.media.ingest({
        path,
        filename: clip ? `${a.key}.mp4` : `${a.key}.jpg`,
        alt: a.media.alt,
        caption: a.media.caption,
        credit: a.media.credit,
        licence: 'Dateline demo content',
        uploadedAt,
      });
      report.media++;
      return item.id;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
