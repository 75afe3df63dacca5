import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DATELINE_FORMAT, isValidTimeZone, parseDatelineFormat } from '../domain/dateline.js';
import { canonicalLanguage } from '../domain/language.js';

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
  /** Languages the site publishes in; the first is the default. */
  languages: string[];
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
  /** A request body (upload or JSON) that receives nothing for this long is answered 408. */
  bodyIdleTimeoutSeconds: number;
  /** A request body not complete after this long is answered 408. */
  bodyTimeoutSeconds: number;
  /** `job`: neighbours' related lists are refreshed by a background job after a publish; `inline`: before it returns. */
  relatedNeighbours: 'inline' | 'job';
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

function positiveNumber(raw: string, min: number, max: number): number {
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`must be a number from ${min} to ${max} (got "${raw}")`);
  return n;
}

function parseBoolean(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error(`must be on/off, true/false, yes/no or 1/0 (got "${raw}")`);
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
  { env: 'BODY_IDLE_TIMEOUT_SECONDS', key: 'bodyIdleTimeoutSeconds', parse: (raw) => positiveNumber(raw, 1, 3600) },
  { env: 'BODY_TIMEOUT_SECONDS', key: 'bodyTimeoutSeconds', parse: (raw) => positiveNumber(raw, 10, 86_400) },
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
    languages: ['en', 'ar', 'fa'],
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
    bodyIdleTimeoutSeconds: 30,
    bodyTimeoutSeconds: 1800,
    relatedNeighbours: 'job',
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
      raw = Array.isArray(fromFile) ? fromFile.join(',') : String(fromFile);
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
  if (!config.baseUrl) {
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    config.baseUrl = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${config.port}`;
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
