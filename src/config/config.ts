import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';
import { DEFAULT_DATELINE_FORMAT, isValidTimeZone, parseDatelineFormat } from '../domain/dateline.js';
import { canonicalLanguage } from '../domain/language.js';
import { parseDatelineStyles, type DatelineStyles } from './dateline-styles.js';

/** Validated runtime configuration. */
export interface Config {
  port: number;
  host: string;
  /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…`. */
  databaseUrl: string;
  dataDir: string;
  siteName: string;
  /** Public origin, no trailing slash, e.g. `https://news.example.org`. */
  baseUrl: string;
  timeZone: string;
  datelineFormat: string;
  /** Per-language calendar, digits and pattern of datelines (over each language's defaults). */
  datelineStyles: DatelineStyles;
  /** Languages the site publishes in; the first is the default (DEFAULT_LANGUAGE moves its choice first). */
  languages: string[];
  /** `DEFAULT_LANGUAGE`: the language served at `/` (empty: the first of SITE_LANGUAGES). */
  defaultLanguage: string;
  /** `LANGUAGE_HOSTS=ar=ar.example.org,fa=fa.example.org`: a host per language instead of `/ar/…` path prefixes. Empty: path prefixes. */
  languageHosts: Record<string, string>;
  /** `<site>` prefix of media names (`<site>_<ticks>_<profile>_<ratio>.<ext>`). */
  mediaSitePrefix: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Log one line per request (off for benchmarks or behind a proxy that logs). */
  requestLog: boolean;
  /**
   * How long assembled content (article + related list, home lists) may be reused,
   * in seconds; it is also dropped at once on any content write. 0 turns it off, so
   * every request reads the database (use it to measure raw render speed).
   */
  contentCacheSeconds: number;
  /** Load the demo newsroom when the database has no articles. */
  demoContent: boolean;
  /**
   * Behind a reverse proxy: trust its X-Forwarded-For/-Proto (client address for
   * login throttling, HTTPS for Secure cookies). Off: those headers are ignored.
   */
  trustProxy: boolean;
  /** Where media bytes live. */
  mediaStore: 'local' | 's3';
  s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean; prefix: string };
  /** Largest accepted upload, in megabytes (videos included). */
  mediaMaxUploadMb: number;
  /** Largest accepted image, in megapixels (decompression bombs are refused before decoding). */
  mediaMaxMegapixels: number;
  /** Feeds carry each story's full text (`full`) or only its summary (`excerpt`). */
  feedContent: 'full' | 'excerpt';
  /** Newest stories per feed. */
  feedItems: number;
  /** Paths robots.txt asks crawlers to leave alone. */
  robotsDisallow: string[];
  /** One sentence about the site: home page description, feeds, web app manifest. */
  siteDescription: string;
  /** `smtp://user:pass@host:587` or `smtps://…:465`: invitations, password resets and review notices go out by email. Empty: no email. */
  smtpUrl: string;
  /** Sender of the newsroom's email, e.g. `Newsroom <newsroom@example.org>`; default `<SITE_NAME> <newsroom@<SMTP host>>`. */
  mailFrom: string;
  /** Webhooks: ranges (CIDR or address) a webhook may reach although private or loopback; empty = public addresses only. */
  webhookAllowPrivate: string[];
  /** Most Server-Sent Events readers one process holds; more get 503 with Retry-After (default 20000). */
  liveMaxReaders: number;
  /** Hours of live events kept for `Last-Event-ID` resume (default 168 = 7 days); older readers reload. */
  liveEventsKeepHours: number;
  /** Web Push (VAPID) public key, base64url; with the private key and subject, browsers may subscribe to alerts. Empty: off. */
  vapidPublicKey: string;
  /** Web Push (VAPID) private key, base64url (`npx web-push generate-vapid-keys`). */
  vapidPrivateKey: string;
  /** Web Push contact: `mailto:desk@example.org` or an https URL, sent to push services. */
  vapidSubject: string;
  /** Web Push: ranges a push endpoint may be on although private or loopback (tests); empty = public addresses only. */
  pushAllowPrivate: string[];
  /** Web Push: subscribe/unsubscribe requests one address may make per minute; 0: no limit. */
  pushRatePerMinute: number;
  /** Web Push: subscriptions a push service origin other than a browser vendor's may hold; 0: no cap. */
  pushMaxPerOrigin: number;
  /** Webhooks: deadline of one delivery attempt (DNS, connect, send, answer), in milliseconds. */
  webhookTimeoutMs: number;
  /** Webhooks: attempts per delivery before it is marked failed (backoff 5 s, 20 s, 80 s, … capped at 1 h). */
  webhookMaxAttempts: number;
  /** Webhooks: an endpoint is switched off after this many failed attempts in a row. */
  webhookDisableAfter: number;
  /** Webhooks: deliveries sent in parallel by each process. */
  webhookWorkers: number;
  /** Page cache size per process in MB; 0 turns the page cache off (CONTENT_CACHE_SECONDS=0 turns all caching off). */
  pageCacheMb: number;
  /** How long a cached page is fresh without a purge (also the CDN's s-maxage). */
  pageCacheSeconds: number;
  /** Redis for purge fan-out between processes; empty: none. */
  redisUrl: string;
  /** Prefix of Redis keys and channels. */
  redisPrefix: string;
  /** Sign-in, setup, invitation and password-reset requests one address may make per minute; 0: no limit. */
  authRatePerMinute: number;
  /** Varnish to purge by xkey (`PURGE` with an `xkey-purge` header); empty: none. */
  varnishPurgeUrl: string;
  /** A CDN purge endpoint URL template (`{keys}`, `{keys_csv}`); empty: none. */
  cdnPurgeUrl: string;
  /** Authorization header value sent to the CDN purge endpoint. */
  cdnPurgeAuthorization: string;
  /** Bearer token /metrics requires; empty: /metrics answers loopback clients only. */
  metricsToken: string;
  /** Longest a SIGTERM waits for in-flight requests and running jobs before exiting. */
  shutdownTimeoutSeconds: number;
  /** A request body (upload or JSON) that receives nothing for this long is answered 408. */
  bodyIdleTimeoutSeconds: number;
  /** A request body not complete after this long is answered 408. */
  bodyTimeoutSeconds: number;
  /** Zone the old site printed datelines in (imports); empty: the site's zone. */
  legacyTimeZone: string;
  /** Dateline pattern of the old site's pages (imports); empty: the site's format. */
  legacyDatelineFormat: string;
  /** Origins of the old site (`https://old.example`): links in imported bodies to them are rewritten to the imported articles' new URLs. */
  legacyOrigins: string[];
  /** Wire sources: ranges (CIDR or address) a wire feed URL may reach although private or loopback; empty = public addresses only. */
  wireAllowPrivate: string[];
  /** Wire sources: deadline of one fetch (DNS, connect, answer), in milliseconds. */
  wireTimeoutMs: number;
  /** Wire sources: largest feed document read, in bytes (a larger answer fails the poll). */
  wireMaxBytes: number;
  /** Wire sources: the folder under which watched folders may lie; empty: no folder sources. */
  wireFolderRoot: string;
  /** `job`: neighbours' related lists are refreshed by a background job after a publish; `inline`: before it returns. */
  relatedNeighbours: 'inline' | 'job';
  /** After a committed change readers can see: index, related lists and page purges before the save returns, or by a job right after. */
  articleIndexing: 'inline' | 'job';
  /** PostgreSQL: each state-changing request keeps one pooled connection for its statements (db/connection-pinning.ts). */
  dbPinConnections: boolean;
  /** PostgreSQL: a pinned request's connection answers synchronously (db/postgres-sync/), so its statements run in one event-loop turn. */
  dbSyncConnections: boolean;
  /** PostgreSQL: the synchronous connections' transport: libpq in the main thread, a worker thread's pg client, or auto (libpq when installed). */
  dbSyncDriver: 'auto' | 'libpq' | 'worker';
  /** PostgreSQL: a statement on a synchronous connection running longer than this fails (ms). */
  dbQueryTimeoutMs: number;
  /** PostgreSQL: how long a synchronous connection may block the event loop before waiting asynchronously (ms). */
  dbSyncBlockMs: number;
  /** PostgreSQL: false sets synchronous_commit = off (commits do not wait for the WAL flush; SQLite's durability here). */
  dbSynchronousCommit: boolean;
  /** PostgreSQL streaming replicas for public reads (pages, content API, search, feeds); empty: every read on the primary. */
  databaseReplicaUrls: string[];
  /** A replica further behind the primary than this (ms) is skipped until it catches up. */
  databaseReplicaMaxLagMs: number;
  /** How often each replica's health and replay position are checked (ms). */
  databaseReplicaCheckMs: number;
}

/** One setting: its environment variable, config-file key and parser. */
interface Setting<K extends keyof Config> {
  env: string;
  key: K;
  parse: (raw: string) => Config[K];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function onOff(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v !== 'on' && v !== 'off') throw new Error(`must be on or off (got "${raw}")`);
  return v === 'on';
}

function positiveNumber(raw: string, min: number, max: number): number {
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`must be a number from ${min} to ${max} (got "${raw}")`);
  return n;
}

/** A count where 0 turns the limit off. */
function wholeNumber(raw: string, max: number, unit: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > max) throw new Error(`must be a whole number of ${unit} from 0 (no limit) to ${max} (got "${raw}")`);
  return Number(raw);
}

function urlSetting(raw: string, protocols: string[], example: string): string {
  const v = raw.trim();
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`must be a URL such as ${example} (got "${raw}")`);
  }
  if (!protocols.includes(u.protocol)) throw new Error(`must use ${protocols.map((p) => p.replace(':', '')).join(' or ')} (got "${raw}")`);
  return v;
}

function parseBoolean(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`must be on/off, true/false, yes/no or 1/0 (got "${raw}")`);
}

function parseSmtpUrl(raw: string): string {
  const v = raw.trim();
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`must be a URL such as smtp://user:password@mail.example.org:587 or smtps://…:465 (got "${raw}")`);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`must start with smtp:// or smtps:// (got "${u.protocol}//…")`);
  if (!u.hostname) throw new Error('must name the mail server, e.g. smtp://mail.example.org:587');
  return v;
}

/** `ar=ar.example.org,fa=fa.example.org` (a JSON object in the config file works too). */
function parseLanguageHosts(raw: string): Record<string, string> {
  const v = raw.trim();
  const pairs: [string, string][] = v.startsWith('{')
    ? Object.entries(JSON.parse(v) as Record<string, string>)
    : v.split(',').map((e) => e.trim()).filter(Boolean).map((e) => {
        const at = e.indexOf('=');
        if (at < 1) throw new Error(`"${e}" must look like ar=ar.example.org`);
        return [e.slice(0, at).trim(), e.slice(at + 1).trim()];
      });
  const out: Record<string, string> = {};
  for (const [tag, host] of pairs) {
    const c = canonicalLanguage(tag);
    if (!c) throw new Error(`"${tag}" is not a valid BCP 47 language tag`);
    if (!/^[a-z0-9.-]{1,253}(:\d{1,5})?$/i.test(String(host))) throw new Error(`"${host}" is not a host name such as ar.example.org`);
    out[c] = String(host).toLowerCase();
  }
  return out;
}

const SETTINGS: Setting<keyof Config>[] = [
  {
    env: 'PORT',
    key: 'port',
    parse: (raw) => {
      if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 65535) {
        throw new Error(`must be a whole number from 1 to 65535 (got "${raw}")`);
      }
      return Number(raw);
    },
  },
  {
    env: 'HOST',
    key: 'host',
    parse: (raw) => {
      const v = raw.trim();
      if (!v || /[\s/]/.test(v)) throw new Error(`must be an interface address or host name such as 127.0.0.1 or 0.0.0.0 (got "${raw}")`);
      return v;
    },
  },
  { env: 'DATA_DIR', key: 'dataDir', parse: (raw) => {
    if (!raw.trim()) throw new Error('must be a directory path');
    return resolve(raw.trim());
  } },
  {
    env: 'DATABASE_URL',
    key: 'databaseUrl',
    parse: (raw) => {
      const v = raw.trim();
      if (v === 'sqlite::memory:' || /^sqlite:.+/.test(v)) return v;
      if (/^postgres(ql)?:\/\//.test(v)) {
        try {
          const u = new URL(v);
          if (!u.hostname && !u.searchParams.get('host')) throw new Error('no host');
          return v;
        } catch {
          throw new Error(`is not a valid PostgreSQL URL; expected postgres://user:password@host:5432/database (got "${raw}")`);
        }
      }
      throw new Error(`must start with sqlite: (e.g. sqlite:./data/dateline.db) or postgres:// (got "${raw}")`);
    },
  },
  { env: 'SITE_NAME', key: 'siteName', parse: (raw) => {
    const v = raw.trim();
    if (!v || v.length > 100) throw new Error('must be 1 to 100 characters');
    return v;
  } },
  {
    env: 'BASE_URL',
    key: 'baseUrl',
    parse: (raw) => {
      let u: URL;
      try {
        u = new URL(raw.trim());
      } catch {
        throw new Error(`must be an absolute http(s) URL such as https://news.example.org (got "${raw}")`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`must use http or https (got "${raw}")`);
      if (u.search || u.hash) throw new Error(`must not have a query or fragment (got "${raw}")`);
      return u.toString().replace(/\/+$/, '');
    },
  },
  { env: 'SITE_TIMEZONE', key: 'timeZone', parse: (raw) => {
    const v = raw.trim();
    if (!isValidTimeZone(v)) throw new Error(`is not a known IANA time zone such as UTC, Europe/London or Asia/Tehran (got "${raw}")`);
    return v;
  } },
  { env: 'DATELINE_FORMAT', key: 'datelineFormat', parse: (raw) => {
    try {
      parseDatelineFormat(raw);
    } catch (err) {
      throw new Error(`is not a valid dateline format: ${(err as Error).message} (got "${raw}"; default "${DEFAULT_DATELINE_FORMAT}")`);
    }
    return raw;
  } },
  { env: 'DATELINE_STYLES', key: 'datelineStyles', parse: parseDatelineStyles },
  {
    env: 'SITE_LANGUAGES',
    key: 'languages',
    parse: (raw) => {
      const tags = raw.split(',').map((t) => t.trim()).filter(Boolean);
      if (tags.length === 0) throw new Error('must list at least one language, e.g. en,ar,fa');
      return tags.map((t) => {
        const c = canonicalLanguage(t);
        if (!c) throw new Error(`"${t}" is not a valid BCP 47 language tag`);
        return c;
      });
    },
  },
  { env: 'DEFAULT_LANGUAGE', key: 'defaultLanguage', parse: (raw) => {
    const c = canonicalLanguage(raw.trim());
    if (!c) throw new Error(`"${raw}" is not a valid BCP 47 language tag such as en or ar`);
    return c;
  } },
  { env: 'LANGUAGE_HOSTS', key: 'languageHosts', parse: parseLanguageHosts },
  { env: 'MEDIA_SITE_PREFIX', key: 'mediaSitePrefix', parse: (raw) => {
    if (!/^[a-z0-9-]{1,32}$/.test(raw.trim())) throw new Error(`must be 1 to 32 lowercase letters, digits or hyphens (got "${raw}")`);
    return raw.trim();
  } },
  { env: 'LOG_LEVEL', key: 'logLevel', parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new Error(`must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
    return v as Config['logLevel'];
  } },
  { env: 'REQUEST_LOG', key: 'requestLog', parse: parseBoolean },
  { env: 'DEMO_CONTENT', key: 'demoContent', parse: parseBoolean },
  { env: 'TRUST_PROXY', key: 'trustProxy', parse: parseBoolean },
  { env: 'MEDIA_STORE', key: 'mediaStore', parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (v !== 'local' && v !== 's3') throw new Error(`must be local or s3 (got "${raw}")`);
    return v;
  } },
  { env: 'MEDIA_MAX_UPLOAD_MB', key: 'mediaMaxUploadMb', parse: (raw) => positiveNumber(raw, 1, 100_000) },
  { env: 'MEDIA_MAX_MEGAPIXELS', key: 'mediaMaxMegapixels', parse: (raw) => positiveNumber(raw, 1, 1000) },
  { env: 'FEED_CONTENT', key: 'feedContent', parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (v !== 'full' && v !== 'excerpt') throw new Error(`must be full or excerpt (got "${raw}")`);
    return v;
  } },
  { env: 'FEED_ITEMS', key: 'feedItems', parse: (raw) => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 100) throw new Error(`must be a whole number from 1 to 100 (got "${raw}")`);
    return Number(raw);
  } },
  { env: 'ROBOTS_DISALLOW', key: 'robotsDisallow', parse: (raw) => {
    const paths = raw.split(',').map((p) => p.trim()).filter(Boolean);
    for (const p of paths) if (!p.startsWith('/') || /[\s#]/.test(p)) throw new Error(`must be a comma-separated list of paths starting with /, such as /admin/,/search (got "${p}")`);
    return paths;
  } },
  { env: 'SITE_DESCRIPTION', key: 'siteDescription', parse: (raw) => {
    const v = raw.trim();
    if (!v || v.length > 300) throw new Error('must be 1 to 300 characters');
    return v;
  } },
  { env: 'SMTP_URL', key: 'smtpUrl', parse: parseSmtpUrl },
  { env: 'MAIL_FROM', key: 'mailFrom', parse: (raw) => {
    const v = raw.trim();
    if (!/^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(v)) throw new Error(`must be an address such as newsroom@example.org or "Newsroom <newsroom@example.org>" (got "${raw}")`);
    return v;
  } },
  { env: 'LIVE_MAX_READERS', key: 'liveMaxReaders', parse: (raw) => Math.round(positiveNumber(raw, 1, 1_000_000)) },
  { env: 'LIVE_EVENTS_KEEP_HOURS', key: 'liveEventsKeepHours', parse: (raw) => positiveNumber(raw, 1, 24 * 365) },
  { env: 'VAPID_PUBLIC_KEY', key: 'vapidPublicKey', parse: (raw) => {
    const v = raw.trim();
    if (!/^[A-Za-z0-9_-]+$/.test(v) || Buffer.from(v, 'base64url').length !== 65) throw new Error('must be a base64url P-256 public key (87 characters), as `npx web-push generate-vapid-keys` prints it');
    return v;
  } },
  { env: 'VAPID_PRIVATE_KEY', key: 'vapidPrivateKey', parse: (raw) => {
    const v = raw.trim();
    if (!/^[A-Za-z0-9_-]+$/.test(v) || Buffer.from(v, 'base64url').length !== 32) throw new Error('must be a base64url P-256 private key (43 characters), as `npx web-push generate-vapid-keys` prints it');
    return v;
  } },
  { env: 'VAPID_SUBJECT', key: 'vapidSubject', parse: (raw) => {
    const v = raw.trim();
    if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(v)) throw new Error(`must be mailto:someone@example.org or an https:// URL (got "${raw}")`);
    return v;
  } },
  { env: 'PUSH_RATE_PER_MINUTE', key: 'pushRatePerMinute', parse: (raw) => wholeNumber(raw, 100_000, 'requests per minute') },
  { env: 'PUSH_MAX_PER_ORIGIN', key: 'pushMaxPerOrigin', parse: (raw) => wholeNumber(raw, 10_000_000, 'subscriptions') },
  { env: 'PUSH_ALLOW_PRIVATE', key: 'pushAllowPrivate', parse: (raw) => {
    const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
    for (const e of entries) {
      const valid = e.includes('/') ? ipaddr.isValidCIDR(e) : ipaddr.isValid(e);
      if (!valid) throw new Error(`"${e}" is not an IP address or CIDR range such as 127.0.0.1/32`);
    }
    return entries;
  } },
  { env: 'WEBHOOK_ALLOW_PRIVATE', key: 'webhookAllowPrivate', parse: (raw) => {
    const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
    for (const e of entries) {
      const valid = e.includes('/') ? ipaddr.isValidCIDR(e) : ipaddr.isValid(e);
      if (!valid) throw new Error(`"${e}" is not an IP address or CIDR range such as 127.0.0.1/32 or 10.0.0.0/8`);
    }
    return entries;
  } },
  { env: 'WEBHOOK_TIMEOUT_MS', key: 'webhookTimeoutMs', parse: (raw) => Math.round(positiveNumber(raw, 100, 30_000)) },
  { env: 'WEBHOOK_MAX_ATTEMPTS', key: 'webhookMaxAttempts', parse: (raw) => Math.round(positiveNumber(raw, 1, 20)) },
  { env: 'WEBHOOK_DISABLE_AFTER', key: 'webhookDisableAfter', parse: (raw) => Math.round(positiveNumber(raw, 1, 10_000)) },
  { env: 'WEBHOOK_WORKERS', key: 'webhookWorkers', parse: (raw) => Math.round(positiveNumber(raw, 1, 32)) },
  { env: 'PAGE_CACHE_MB', key: 'pageCacheMb', parse: (raw) => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) > 65536) throw new Error(`must be a whole number of megabytes from 0 (off) to 65536 (got "${raw}")`);
    return Number(raw);
  } },
  { env: 'PAGE_CACHE_SECONDS', key: 'pageCacheSeconds', parse: (raw) => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 86400) throw new Error(`must be a whole number of seconds from 1 to 86400 (got "${raw}")`);
    return Number(raw);
  } },
  { env: 'REDIS_URL', key: 'redisUrl', parse: (raw) => urlSetting(raw, ['redis:', 'rediss:'], 'redis://127.0.0.1:6379') },
  { env: 'REDIS_PREFIX', key: 'redisPrefix', parse: (raw) => {
    if (!/^[A-Za-z0-9:._-]{0,64}$/.test(raw.trim())) throw new Error(`must be up to 64 letters, digits or :._- (got "${raw}")`);
    return raw.trim();
  } },
  { env: 'AUTH_RATE_PER_MINUTE', key: 'authRatePerMinute', parse: (raw) => wholeNumber(raw, 100_000, 'requests per minute') },
  { env: 'VARNISH_PURGE_URL', key: 'varnishPurgeUrl', parse: (raw) => urlSetting(raw, ['http:', 'https:'], 'http://127.0.0.1:6081/') },
  { env: 'CDN_PURGE_URL', key: 'cdnPurgeUrl', parse: (raw) => urlSetting(raw.replaceAll('{keys}', 'k').replaceAll('{keys_csv}', 'k'), ['http:', 'https:'], 'https://cdn.example/purge?tags={keys_csv}') && raw.trim() },
  { env: 'CDN_PURGE_AUTHORIZATION', key: 'cdnPurgeAuthorization', parse: (raw) => raw.trim() },
  { env: 'METRICS_TOKEN', key: 'metricsToken', parse: (raw) => {
    if (raw.trim().length < 16) throw new Error('must be at least 16 characters');
    return raw.trim();
  } },
  { env: 'SHUTDOWN_TIMEOUT_SECONDS', key: 'shutdownTimeoutSeconds', parse: (raw) => positiveNumber(raw, 1, 600) },
  { env: 'BODY_IDLE_TIMEOUT_SECONDS', key: 'bodyIdleTimeoutSeconds', parse: (raw) => positiveNumber(raw, 1, 3600) },
  { env: 'BODY_TIMEOUT_SECONDS', key: 'bodyTimeoutSeconds', parse: (raw) => positiveNumber(raw, 10, 86_400) },
  { env: 'LEGACY_TIMEZONE', key: 'legacyTimeZone', parse: (raw) => {
    const v = raw.trim();
    if (!isValidTimeZone(v)) throw new Error(`is not a known IANA time zone such as Asia/Tehran (got "${raw}")`);
    return v;
  } },
  { env: 'LEGACY_DATELINE_FORMAT', key: 'legacyDatelineFormat', parse: (raw) => {
    try {
      parseDatelineFormat(raw);
    } catch (err) {
      throw new Error(`is not a valid dateline format: ${(err as Error).message} (got "${raw}")`);
    }
    return raw;
  } },
  { env: 'LEGACY_ORIGINS', key: 'legacyOrigins', parse: (raw) => raw.split(',').map((e) => e.trim()).filter(Boolean).map((e) => {
    let url: URL;
    try {
      url = new URL(e);
    } catch {
      throw new Error(`"${e}" is not an origin such as https://old.example`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`"${e}" is not an http(s) origin such as https://old.example`);
    return url.origin;
  }) },
  { env: 'WIRE_ALLOW_PRIVATE', key: 'wireAllowPrivate', parse: (raw) => {
    const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
    for (const e of entries) {
      const valid = e.includes('/') ? ipaddr.isValidCIDR(e) : ipaddr.isValid(e);
      if (!valid) throw new Error(`"${e}" is not an IP address or CIDR range such as 127.0.0.1/32 or 10.0.0.0/8`);
    }
    return entries;
  } },
  { env: 'WIRE_TIMEOUT_MS', key: 'wireTimeoutMs', parse: (raw) => Math.round(positiveNumber(raw, 100, 60_000)) },
  { env: 'WIRE_MAX_BYTES', key: 'wireMaxBytes', parse: (raw) => Math.round(positiveNumber(raw, 1024, 100 * 1024 * 1024)) },
  { env: 'WIRE_FOLDER_ROOT', key: 'wireFolderRoot', parse: (raw) => resolve(raw.trim()) },
  { env: 'DB_PIN_CONNECTIONS', key: 'dbPinConnections', parse: onOff },
  { env: 'DB_SYNC_CONNECTIONS', key: 'dbSyncConnections', parse: onOff },
  { env: 'DB_SYNCHRONOUS_COMMIT', key: 'dbSynchronousCommit', parse: onOff },
  { env: 'DB_SYNC_DRIVER', key: 'dbSyncDriver', parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (v !== 'auto' && v !== 'libpq' && v !== 'worker') throw new Error(`must be auto, libpq or worker (got "${raw}")`);
    return v;
  } },
  { env: 'DB_SYNC_BLOCK_MS', key: 'dbSyncBlockMs', parse: (raw) => positiveNumber(raw, 0.1, 1000) },
  { env: 'DATABASE_REPLICA_URLS', key: 'databaseReplicaUrls', parse: (raw) => {
    const urls = raw.split(',').map((u) => u.trim()).filter(Boolean);
    for (const u of urls) if (!/^postgres(ql)?:\/\//.test(u)) throw new Error(`"${u.replace(/:[^:@/]*@/, ':***@')}" is not a postgres:// URL (replicas are PostgreSQL streaming standbys)`);
    return urls;
  } },
  { env: 'DATABASE_REPLICA_MAX_LAG_MS', key: 'databaseReplicaMaxLagMs', parse: (raw) => Math.round(positiveNumber(raw, 10, 3_600_000)) },
  { env: 'DATABASE_REPLICA_CHECK_MS', key: 'databaseReplicaCheckMs', parse: (raw) => Math.round(positiveNumber(raw, 50, 60_000)) },
  { env: 'DB_QUERY_TIMEOUT_MS', key: 'dbQueryTimeoutMs', parse: (raw) => Math.round(positiveNumber(raw, 100, 3_600_000)) },
  { env: 'ARTICLE_INDEXING', key: 'articleIndexing', parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (v !== 'inline' && v !== 'job') throw new Error(`must be job or inline (got "${raw}")`);
    return v;
  } },
  { env: 'RELATED_NEIGHBOURS', key: 'relatedNeighbours', parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (v !== 'inline' && v !== 'job') throw new Error(`must be job or inline (got "${raw}")`);
    return v;
  } },
  { env: 'CONTENT_CACHE_SECONDS', key: 'contentCacheSeconds', parse: (raw) => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) > 3600) throw new Error(`must be a whole number of seconds from 0 (off) to 3600 (got "${raw}")`);
    return Number(raw);
  } },
];

function defaults(dataDir: string): Config {
  return {
    port: 3000,
    host: '127.0.0.1',
    dataDir,
    databaseUrl: `sqlite:${resolve(dataDir, 'dateline.db')}`,
    siteName: 'Dateline',
    baseUrl: '',
    timeZone: 'UTC',
    datelineFormat: DEFAULT_DATELINE_FORMAT,
    datelineStyles: {},
    languages: ['en', 'ar', 'fa'],
    defaultLanguage: '',
    languageHosts: {},
    mediaSitePrefix: 'dateline',
    logLevel: 'info',
    requestLog: true,
    demoContent: true,
    trustProxy: false,
    contentCacheSeconds: 5,
    mediaStore: 'local',
    s3: { endpoint: '', region: 'us-east-1', bucket: '', accessKeyId: '', secretAccessKey: '', forcePathStyle: false, prefix: '' },
    mediaMaxUploadMb: 500,
    mediaMaxMegapixels: 100,
    feedContent: 'full',
    feedItems: 30,
    robotsDisallow: ['/admin/', '/api/admin/', '/search'],
    siteDescription: '',
    smtpUrl: '',
    mailFrom: '',
    webhookAllowPrivate: [],
    liveMaxReaders: 20_000,
    liveEventsKeepHours: 168,
    vapidPublicKey: '',
    vapidPrivateKey: '',
    vapidSubject: '',
    pushAllowPrivate: [],
    pushRatePerMinute: 10,
    pushMaxPerOrigin: 1000,
    webhookTimeoutMs: 5000,
    webhookMaxAttempts: 8,
    webhookDisableAfter: 20,
    webhookWorkers: 2,
    pageCacheMb: 256,
    pageCacheSeconds: 300,
    redisUrl: '',
    redisPrefix: 'dateline:',
    authRatePerMinute: 60,
    varnishPurgeUrl: '',
    cdnPurgeUrl: '',
    cdnPurgeAuthorization: '',
    metricsToken: '',
    shutdownTimeoutSeconds: 10,
    bodyIdleTimeoutSeconds: 30,
    bodyTimeoutSeconds: 1800,
    legacyTimeZone: '',
    legacyDatelineFormat: '',
    legacyOrigins: [],
    wireAllowPrivate: [],
    wireTimeoutMs: 10_000,
    wireMaxBytes: 5 * 1024 * 1024,
    wireFolderRoot: '',
    relatedNeighbours: 'job',
    articleIndexing: 'inline',
    dbPinConnections: true,
    dbSyncConnections: true,
    dbQueryTimeoutMs: 30_000,
    dbSyncBlockMs: 20,
    dbSyncDriver: 'auto',
    dbSynchronousCommit: true,
    databaseReplicaUrls: [],
    databaseReplicaMaxLagMs: 5000,
    databaseReplicaCheckMs: 1000,
  };
}

/**
 * Reads the optional JSON config file (keys as in `Config`), then environment
 * variables (which win), and validates every value, reporting all problems at once.
 * The file is `DATELINE_CONFIG` or `./dateline.config.json` when that exists.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const configPath = env.DATELINE_CONFIG ? resolve(cwd, env.DATELINE_CONFIG) : resolve(cwd, 'dateline.config.json');
  let file: Record<string, unknown> = {};
  if (env.DATELINE_CONFIG && !existsSync(configPath)) {
    problems.push(`DATELINE_CONFIG: file not found: ${configPath}`);
  } else if (existsSync(configPath)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(configPath, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the file must hold a JSON object');
      file = parsed as Record<string, unknown>;
      const known = new Set([...SETTINGS.map((s) => s.key as string), 's3']);
      for (const key of Object.keys(file)) {
        if (!known.has(key)) problems.push(`${configPath}: unknown setting "${key}" (known: ${[...known].join(', ')})`);
      }
    } catch (err) {
      problems.push(`${configPath}: ${(err as Error).message}`);
    }
  }

  const rawDataDir = env.DATA_DIR ?? (typeof file.dataDir === 'string' ? file.dataDir : './data');
  const config = defaults(resolve(cwd, rawDataDir));
  for (const setting of SETTINGS) {
    const fromEnv = env[setting.env];
    const fromFile = file[setting.key];
    let raw: string | undefined;
    let origin = setting.env;
    if (fromEnv !== undefined && fromEnv !== '') raw = fromEnv;
    else if (fromFile !== undefined) {
      raw = Array.isArray(fromFile) ? fromFile.join(',') : typeof fromFile === 'object' && fromFile !== null ? JSON.stringify(fromFile) : String(fromFile);
      origin = `${setting.key} (config file)`;
    }
    if (raw === undefined) continue;
    try {
      const value = setting.parse(raw);
      (config as unknown as Record<string, unknown>)[setting.key] = value;
    } catch (err) {
      problems.push(`${origin}: ${(err as Error).message}`);
    }
  }
  const s3File = (file.s3 ?? {}) as Record<string, unknown>;
  const s3Value = (envName: string, key: string): string => env[envName] ?? (s3File[key] !== undefined ? String(s3File[key]) : '');
  config.s3 = {
    endpoint: s3Value('S3_ENDPOINT', 'endpoint'),
    region: s3Value('S3_REGION', 'region') || 'us-east-1',
    bucket: s3Value('S3_BUCKET', 'bucket'),
    accessKeyId: s3Value('S3_ACCESS_KEY_ID', 'accessKeyId'),
    secretAccessKey: s3Value('S3_SECRET_ACCESS_KEY', 'secretAccessKey'),
    forcePathStyle: false,
    prefix: s3Value('S3_PREFIX', 'prefix'),
  };
  const pathStyle = s3Value('S3_FORCE_PATH_STYLE', 'forcePathStyle');
  try {
    config.s3.forcePathStyle = pathStyle ? parseBoolean(pathStyle) : Boolean(config.s3.endpoint);
  } catch (err) {
    problems.push(`S3_FORCE_PATH_STYLE: ${(err as Error).message}`);
  }
  if (config.s3.endpoint) {
    try {
      new URL(config.s3.endpoint);
    } catch {
      problems.push(`S3_ENDPOINT: must be a URL such as http://127.0.0.1:9000 (got "${config.s3.endpoint}")`);
    }
  }
  if (config.mediaStore === 's3' && !config.s3.bucket) problems.push('S3_BUCKET: required when MEDIA_STORE=s3');

  if (config.dataDir && !env.DATABASE_URL && file.databaseUrl === undefined) {
    config.databaseUrl = `sqlite:${resolve(config.dataDir, 'dateline.db')}`;
  }
  if (config.databaseReplicaUrls.length && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    problems.push('DATABASE_REPLICA_URLS: read replicas need a PostgreSQL primary (set DATABASE_URL to postgres://…)');
  }
  if (!config.baseUrl) {
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    config.baseUrl = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${config.port}`;
  }
  if (config.defaultLanguage) {
    if (!config.languages.includes(config.defaultLanguage)) problems.push(`DEFAULT_LANGUAGE: "${config.defaultLanguage}" is not one of SITE_LANGUAGES (${config.languages.join(', ')})`);
    // Everything reads the default as the first language.
    else config.languages = [config.defaultLanguage, ...config.languages.filter((l) => l !== config.defaultLanguage)];
  }
  config.defaultLanguage = config.languages[0] ?? 'en';
  for (const tag of Object.keys(config.languageHosts)) {
    if (!config.languages.includes(tag)) problems.push(`LANGUAGE_HOSTS: "${tag}" is not one of SITE_LANGUAGES (${config.languages.join(', ')})`);
  }
  if (!config.siteDescription) config.siteDescription = `${config.siteName}: the latest news.`;
  if (problems.length) throw new ConfigError(problems);
  return config;
}
