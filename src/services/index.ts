import { join } from 'node:path';
import type { Config } from '../config/config.js';
import type { DatabaseHandle } from '../db/database.js';
import { createRepositories, type Repositories } from '../db/repositories/index.js';
import { JobQueue } from '../jobs/job-queue.js';
import { LocalStore } from '../storage/local-store.js';
import type { MediaStore } from '../storage/media-store.js';
import { LazyS3Store } from '../storage/lazy-s3-store.js';
import { TempArea } from '../storage/temp-area.js';
import type { ConnectionPinning } from '../db/connection-pinning.js';
import type { ReadRouting } from '../db/read-routing.js';
import { ArticleService } from './article.service.js';
import { CatalogService } from './catalog.service.js';
import { ContentCache } from './content-cache.js';
import { systemClock, type Clock } from './clock.js';
import { DemoService } from './demo.service.js';
import { createDistribution, type Distribution } from './distribution/index.js';
import { ImportService } from './import/import.service.js';
import { DatelineArchive } from './import/dateline-archive.js';
import { WireService } from './import/wire.service.js';
import { MediaService } from './media.service.js';
import { createNewsroom, type Newsroom } from './newsroom.js';
import { PublishingService } from './publishing.service.js';
import type { RelatedEngineService } from './related-engine.service.js';
import { createSearchServices } from './search-wiring.js';
import { createFrontService } from './fronts/front-wiring.js';
import type { FrontService } from './fronts/front.service.js';
import { createNewsroomMail } from './mail/mail-wiring.js';
import { TranslationService } from './translation.service.js';
import { TagMergeService } from './tag-merge.service.js';
import { TagUsageRepository } from '../db/repositories/tag-usage.repository.js';
import type { NewsroomMailService } from './mail/newsroom-mail.service.js';
import type { SearchService } from './search.service.js';
import { NinjsService } from './distribution/ninjs.service.js';
import { ApiMapper } from '../http/mappers.js';
import { createWebhookService } from './webhooks/webhook-wiring.js';
import type { WebhookService } from './webhooks/webhook.service.js';
import { PageCaching, type PageCachingConfig } from './cache/page-caching.js';
import { createNewsroomRepositories } from '../db/repositories/newsroom-repositories.js';
import { SharedLimits } from './limits/shared-limits.js';
import { DEFAULT_AUTH_POLICY } from './auth.service.js';
import { LiveCoverage } from './live/live-wiring.js';
import { renderLiveEntry } from '../site/components/live-entry.js';
import { liveTime } from '../domain/live.js';
import { PushService } from './push/push.service.js';
import { PushSubscriptionRepository } from '../db/repositories/push-subscription.repository.js';

/** Local disk under DATA_DIR/media, or S3-compatible storage (MEDIA_STORE=s3). */
export function createMediaStore(config: Pick<Config, 'dataDir'> & Partial<Pick<Config, 'mediaStore' | 's3'>>): MediaStore {
  if (config.mediaStore === 's3' && config.s3) {
    return new LazyS3Store({ ...config.s3, endpoint: config.s3.endpoint || undefined, accessKeyId: config.s3.accessKeyId || undefined, secretAccessKey: config.s3.secretAccessKey || undefined });
  }
  return new LocalStore(join(config.dataDir, 'media'));
}

/** The composition root: repositories and services over one database. */
export interface Services {
  push: PushService;
  repos: Repositories;
  catalog: CatalogService;
  contentCache: ContentCache;
  articles: ArticleService;
  publishing: PublishingService;
  search: SearchService;
  relatedEngine: RelatedEngineService;
  demo: DemoService;
  mediaStore: MediaStore;
  media: MediaService;
  jobs: JobQueue;
  /** Accounts, workflow, revisions, taxonomy management, audit (the admin API's services). */
  newsroom: Newsroom;
  clock: Clock;
  /** Feeds and sitemaps. */
  distribution: Distribution;
  /** Front pages: home and section fronts editors arrange. */
  fronts: FrontService;
  /** Invitations, password resets and review notices by email (SMTP_URL); off without it. */
  mail: NewsroomMailService;
  /** Tag usage counts and merging two tags (the newsroom's tag screen). */
  tagMerge: TagMergeService;
  /** IPTC ninjs documents for partners. */
  ninjs: NinjsService;
  /** Standard Webhooks to partners' endpoints. */
  webhooks: WebhookService;
  /** Page cache, purges by surrogate key, Redis fan-out, CDN purges. */
  pageCaching: PageCaching;
  /** Rate limits and sign-in lockouts, shared over Redis when it is configured. */
  limits: SharedLimits;
  /** Work folders under DATA_DIR/tmp (uploads, media probing), swept at start-up. */
  temp: TempArea;
  /** Imports of archives and wires (services/import). */
  imports: ImportService;
  /** Portable export and restore (`dateline export`, `dateline import dateline`). */
  archive: DatelineArchive;
  /** Agency wire sources and the Incoming queue. */
  wires: WireService;
  /** Breaking banners, live blogs and the hub that sends them to open pages. */
  live: LiveCoverage;
  /** Versions of one story in several languages ("Translate into…", hreflang). */
  translations: TranslationService;
  /** PostgreSQL: one connection kept for each state-changing request (db/connection-pinning.ts); absent on SQLite. */
  pinning?: ConnectionPinning;
  /** PostgreSQL with DATABASE_REPLICA_URLS: public reads on replicas (db/read-routing.ts); absent otherwise. */
  routing?: ReadRouting;
}

export function createServices(
  handle: DatabaseHandle,
  config: Pick<Config, 'dataDir' | 'mediaSitePrefix'> &
    Partial<Pick<Config, 'contentCacheSeconds' | 'mediaStore' | 's3' | 'mediaMaxMegapixels'>> &
    Partial<Pick<Config, 'smtpUrl' | 'mailFrom' | 'baseUrl' | 'siteName'>> &
    Partial<Pick<Config, 'webhookAllowPrivate' | 'webhookTimeoutMs' | 'webhookMaxAttempts' | 'webhookDisableAfter'>> &
    Partial<Pick<Config, 'liveMaxReaders' | 'liveEventsKeepHours'>> &
    Partial<Pick<Config, 'vapidPublicKey' | 'vapidPrivateKey' | 'vapidSubject' | 'pushAllowPrivate' | 'pushRatePerMinute' | 'pushMaxPerOrigin'>> &
    PageCachingConfig &
    Partial<Pick<Config, 'relatedNeighbours' | 'authRatePerMinute' | 'legacyOrigins' | 'wireAllowPrivate' | 'wireTimeoutMs' | 'wireMaxBytes' | 'wireFolderRoot' | 'languages' | 'timeZone' | 'articleIndexing'>>,
  options: { clock?: Clock; warn?: (message: string) => void } = {},
): Services {
  const clock = options.clock ?? systemClock;
  const repos = createRepositories(handle.db, handle.engine);
  const routing = handle.routing;
  const catalog = new CatalogService(repos.taxonomy, routing ? (work) => routing.onPrimary(work) : undefined);
  const mediaStore = createMediaStore(config);
  const jobs = new JobQueue(repos.jobs, clock);
  const temp = new TempArea(join(config.dataDir, 'tmp'));
  const publishing = new PublishingService(handle.db, repos, clock);
  // Made before media: media uploads, edits and deletions write its audit log.
  const limits = new SharedLimits(config, createNewsroomRepositories(handle.db).sessions);
  const newsroom = createNewsroom(handle.db, repos, catalog, jobs, clock, publishing, DEFAULT_AUTH_POLICY, limits.loginThrottle, config.articleIndexing ?? 'inline');
  const media = new MediaService(
    handle.db,
    repos.media,
    mediaStore,
    jobs,
    { sitePrefix: config.mediaSitePrefix, maxImageMegapixels: config.mediaMaxMegapixels ?? 100, temp },
    clock,
    newsroom.audit,
  );
  const contentCache = new ContentCache(() => repos.counters.contentVersion(), (config.contentCacheSeconds ?? 0) * 1000, clock);
  const articles = new ArticleService(repos.articles, repos.related, catalog, clock, contentCache, repos.translations);
  // The composition root may know every layer: webhook payloads are the content API's JSON.
  const webhooks = createWebhookService(handle.db, repos, jobs, new ApiMapper(config.baseUrl ?? ''), config, clock, newsroom, options.warn);
  const searchServices = createSearchServices(handle, { publishing, articles, related: repos.related, jobs, clock, warn: options.warn, neighbours: config.relatedNeighbours, houseNames: [config.siteName ?? 'Dateline'] });
  // Registered after search/related, so purges compare the refreshed related lists.
  const pageCaching = new PageCaching(handle, repos, jobs, clock, config, options.warn ?? ((m) => process.emitWarning(m)));
  publishing.onArticleChanged(pageCaching.purge);
  media.onMediaChanged((item) => pageCaching.purge.mediaChanged(item));
  const fronts = createFrontService(handle, repos, catalog, newsroom.audit, contentCache, clock);
  fronts.onSaved((name) => pageCaching.purge.frontChanged(name));
  // The composition root may know every layer: entries are rendered once, as pages show them.
  const live = new LiveCoverage(handle, repos, newsroom.audit, jobs, clock, config, (entry, language) => renderLiveEntry(entry, language, liveTime(entry.createdAt, language, config.timeZone ?? 'UTC')));
  const push = new PushService(new PushSubscriptionRepository(handle.db as never), jobs, clock, {
    vapidPublicKey: config.vapidPublicKey ?? '',
    vapidPrivateKey: config.vapidPrivateKey ?? '',
    vapidSubject: config.vapidSubject ?? '',
    allowPrivate: config.pushAllowPrivate ?? [],
    timeoutMs: config.webhookTimeoutMs ?? 5000,
    ttlSeconds: 3600,
    languages: config.languages ?? ['en', 'ar', 'fa'],
    maxPerOrigin: config.pushMaxPerOrigin ?? 1000,
  });
  const siteUrl = (path: unknown) => (typeof path === 'string' && path.startsWith('/') ? `${config.baseUrl ?? ''}${path}` : String(path ?? ''));
  live.service.hooks = {
    eventsCommitted: (id) => live.committed(id),
    purge: (keys) => pageCaching.purge.purge(keys),
    alert: async (event, data) => {
      await webhooks.liveAlert(event, data);
      const language = String(data.language);
      if (event === 'breaking.alert') await push.alert(language, { title: config.siteName ?? 'Dateline', body: String(data.headline ?? ''), url: siteUrl(data.url) });
      else await push.alert(language, { title: config.siteName ?? 'Dateline', body: String(data.text ?? ''), url: siteUrl(`/news/${String(data.blogId)}`) });
    },
  };
  const translations = new TranslationService(handle.db, repos.translations, newsroom.workflow, newsroom.audit, config.languages ?? ['en', 'ar', 'fa'], clock);
  return {
    push,
    live,
    translations,
    repos,
    catalog,
    contentCache,
    articles,
    ...searchServices,
    publishing,
    demo: new DemoService(handle.db, repos, publishing, catalog, media, mediaStore, clock, options.warn),
    mediaStore,
    jobs,
    media,
    newsroom,
    clock,
    distribution: createDistribution(handle, repos, catalog, contentCache, clock),
    fronts,
    mail: createNewsroomMail(handle.db, newsroom, config, clock, options.warn),
    tagMerge: new TagMergeService(handle.db, newsroom.repos.adminTaxonomy, new TagUsageRepository(handle.db), newsroom.audit, (id) => publishing.notifyChanged(id, 'content')),
    webhooks,
    ninjs: new NinjsService(articles, repos.articles, catalog, media, { baseUrl: config.baseUrl ?? '', siteName: config.siteName ?? 'Dateline' }),
    pageCaching,
    limits,
    temp,
    imports: new ImportService(handle.db, repos, publishing, mediaStore, jobs, clock, {
      legacyOrigins: config.legacyOrigins ?? [],
      bulk: {
        // A rebuild costs in proportion to the archive: worth it when the import is a quarter of it or more.
        worthRebuilding: async (pending) => pending >= 100 && pending * 4 >= (await repos.articles.countAll()),
        rebuildSearch: () => searchServices.search.reindex(),
        refreshAllRelated: async () => {
          await searchServices.relatedEngine.buildVectors();
          for (let after = 0; ; ) {
            const ids = await searchServices.search.indexedIdsAfter(after, 1000);
            if (!ids.length) return;
            await searchServices.relatedEngine.refreshAll(ids);
            after = ids.at(-1)!;
          }
        },
      },
    }),
    wires: new WireService(handle.db, repos.wire, jobs, newsroom.workflow, catalog, newsroom.audit, {
      allowPrivate: config.wireAllowPrivate ?? [],
      timeoutMs: config.wireTimeoutMs ?? 10_000,
      maxBytes: config.wireMaxBytes ?? 5 * 1024 * 1024,
      folderRoot: config.wireFolderRoot ?? '',
    }, clock),
    archive: new DatelineArchive(repos.archive, repos.imports, mediaStore, searchServices.search, clock),
    pinning: handle.pinning,
    routing: handle.routing,
  };
}
