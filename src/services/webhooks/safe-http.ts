import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Addresses a webhook may reach although they are not public (e.g. `127.0.0.1/32` in tests). */
export interface TargetPolicy {
  /** CIDR ranges or single addresses. */
  allowPrivate: readonly string[];
}

export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** What a refusal tells the operator (each caller names its own setting). */
const WEBHOOK_HINT = 'webhooks may only reach public addresses (allow it with WEBHOOK_ALLOW_PRIVATE)';

/** Parses `WEBHOOK_ALLOW_PRIVATE` entries; throws with the bad entry named. */
export function parseAllowList(entries: readonly string[]): Range[] {
  return entries.map((entry) => {
    const e = entry.trim();
    try {
      if (e.includes('/')) return ipaddr.parseCIDR(e);
      const ip = ipaddr.parse(e);
      return [ip, ip.kind() === 'ipv4' ? 32 : 128] as Range;
    } catch {
      throw new Error(`"${entry}" is not an IP address or CIDR range such as 127.0.0.1/32 or 10.0.0.0/8`);
    }
  });
}

/**
 * Why an address may not be reached, or null when it may: only public unicast
 * addresses pass (IPv4-mapped IPv6 is judged as the IPv4 inside), unless the policy
 * allows the range. Loopback, private, link-local (cloud metadata), unique-local,
 * carrier-grade NAT, multicast, reserved and the IPv6 ranges that embed IPv4 are refused.
 */
export function refusalReason(address: string, allowed: readonly Range[], hint: string = WEBHOOK_HINT): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return `"${address}" is not an IP address`;
  }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  for (const [net, bits] of allowed) {
    if (net.kind() === ip.kind() && ip.match(net as never, bits)) return null;
  }
  const range = ip.range();
  if (range === 'unicast') return null;
  return `${address} is a ${range} address; ${hint}`;
}

/** A DNS lookup that refuses (fails) when any resolved address is not allowed: the check happens at connect time, so DNS cannot change in between. */
export function guardedLookup(allowed: readonly Range[], hint: string = WEBHOOK_HINT): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      for (const a of addresses) {
        const reason = refusalReason(a.address, allowed, hint);
        if (reason) return callback(new TargetRefusedError(`${hostname} resolves to ${reason}`));
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`));
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

/** Checks a URL's form (http/https, no credentials) and, for an IP literal, its address. */
export function checkTargetUrl(raw: string, allowed: readonly Range[], hint: string = WEBHOOK_HINT): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError(`"${raw}" is not an absolute URL such as https://partner.example/hooks`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetRefusedError('The URL must start with https:// (or http://).');
  if (url.username || url.password) throw new TargetRefusedError('The URL must not contain a user name or password; authenticate with the signature instead.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const reason = refusalReason(host, allowed, hint);
    if (reason) throw new TargetRefusedError(reason);
  }
  return url;
}

/** Resolves the URL's host now and refuses private targets (used when an endpoint is saved). */
export async function checkTarget(raw: string, allowed: readonly Range[], hint: string = WEBHOOK_HINT): Promise<URL> {
  const url = checkTargetUrl(raw, allowed, hint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!isIP(host)) {
    await new Promise<void>((resolve, reject) => {
      guardedLookup(allowed, hint)(host, { all: true }, (err: NodeJS.ErrnoException | null) => (err ? reject(err) : resolve()));
    }).catch((err: Error) => {
      if (err instanceof TargetRefusedError) throw err;
      throw new TargetRefusedError(`The host ${host} could not be resolved (${err.message}).`);
    });
  }
  return url;
}

export interface PostResult {
  status: number;
  /** The first bytes of the answer (at most `maxResponseBytes`). */
  excerpt: string;
}

export interface PostOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  allowed: readonly Range[];
}

/**
 * POSTs a JSON body with a hard deadline covering DNS, connect, upload and the
 * answer. Redirects are not followed (a 3xx is returned as it is); the answer is read
 * up to `maxResponseBytes`, then the connection is dropped. Private targets are refused
 * by address, after DNS, at connect time.
 */
export function postJson(rawUrl: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostResult> {
  return postBytes(rawUrl, Buffer.from(body), { 'content-type': 'application/json', 'user-agent': 'Dateline-Webhooks/1.0', ...headers }, options);
}

/**
 * POSTs raw bytes with the caller's headers (a Web Push message: encrypted body, VAPID
 * authorization) under the same guard and deadline as `postJson`; only the status and
 * the first bytes of the answer come back.
 */
export function postBytes(rawUrl: string, body: Buffer, headers: Record<string, string>, options: PostOptions & { refusalHint?: string }): Promise<PostResult> {
  return guardedExchange<PostResult>({
    rawUrl,
    method: 'POST',
    allowed: options.allowed,
    refusalHint: options.refusalHint,
    headers: { 'content-length': String(body.length), 'user-agent': 'Dateline-Push/1.0', ...headers },
    timeoutMs: options.timeoutMs,
    timeoutMessage: `no answer within ${options.timeoutMs} ms (timed out)`,
    body,
    onResponse: (response, finish) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => finish(null, { status: response.statusCode ?? 0, excerpt: Buffer.concat(chunks).toString('utf8').slice(0, options.maxResponseBytes) });
      response.on('data', (chunk: Buffer) => {
        const room = options.maxResponseBytes - size;
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += chunk.length;
        if (size >= options.maxResponseBytes) done();
      });
      response.on('end', done);
    },
  });
}

type Finish<T> = (err: Error | null, result?: T) => void;

interface Exchange<T> {
  rawUrl: string;
  method: 'GET' | 'POST';
  allowed: readonly Range[];
  refusalHint?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  timeoutMessage: string;
  body?: string | Buffer;
  /** Reads the answer and calls `finish` once (later calls are ignored). */
  onResponse: (response: http.IncomingMessage, finish: Finish<T>, url: URL) => void;
}

/**
 * One request under the guard: the target is checked by name and again by address at
 * connect time (private ranges refused unless allowed), no connection reuse, one
 * deadline over the exchange, and the connection dropped as soon as it is settled.
 */
function guardedExchange<T>(x: Exchange<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = checkTargetUrl(x.rawUrl, x.allowed, x.refusalHint);
    } catch (err) {
      reject(err);
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish: Finish<T> = (err, result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      if (err) reject(err);
      else resolve(result!);
    };
    const request = client.request(url, { method: x.method, agent: false, lookup: guardedLookup(x.allowed, x.refusalHint), headers: x.headers });
    const timer = setTimeout(() => finish(new Error(x.timeoutMessage)), x.timeoutMs);
    request.on('error', (err) => finish(err));
    request.on('response', (response) => {
      response.on('error', (err) => finish(err));
      x.onResponse(response, finish, url);
    });
    request.end(x.body);
  });
}

export interface GetResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

export interface GetOptions {
  timeoutMs: number;
  /** A longer answer fails (the document is not read past this). */
  maxBytes: number;
  allowed: readonly Range[];
  headers?: Record<string, string>;
  /** Redirects followed, each target checked like the first (default 3). */
  maxRedirects?: number;
  userAgent?: string;
  /** What a refusal tells the operator (which setting allows the range). */
  refusalHint?: string;
}

export class ResponseTooLargeError extends Error {}

/**
 * GETs a document with the same guard as webhook posts (private targets refused by
 * address at connect time), a deadline over the whole exchange including redirects,
 * and a size cap: an answer longer than `maxBytes` fails rather than being cut.
 */
export async function getDocument(rawUrl: string, options: GetOptions): Promise<GetResult> {
  const deadline = Date.now() + options.timeoutMs;
  let current = rawUrl;
  for (let hop = 0; ; hop++) {
    const result = await getOnce(current, options, deadline);
    const location = result.headers.location;
    if (result.status >= 300 && result.status < 400 && result.status !== 304 && location) {
      if (hop >= (options.maxRedirects ?? 3)) throw new Error(`more than ${options.maxRedirects ?? 3} redirects`);
      current = new URL(location, current).toString();
      continue;
    }
    return result;
  }
}

function getOnce(rawUrl: string, options: GetOptions, deadline: number): Promise<GetResult> {
  return guardedExchange<GetResult>({
    rawUrl,
    method: 'GET',
    allowed: options.allowed,
    refusalHint: options.refusalHint,
    headers: { 'user-agent': options.userAgent ?? 'Dateline-Wire/1.0', accept: '*/*', 'accept-encoding': 'identity', ...options.headers },
    timeoutMs: Math.max(1, deadline - Date.now()),
    timeoutMessage: `no complete answer within ${options.timeoutMs} ms (timed out)`,
    onResponse: (response, finish, url) => {
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > options.maxBytes) return finish(new ResponseTooLargeError(`the answer is ${declared} bytes; at most ${options.maxBytes} are read`));
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) return finish(new ResponseTooLargeError(`the answer is longer than ${options.maxBytes} bytes`));
        chunks.push(chunk);
      });
      response.on('end', () => finish(null, { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), url: url.toString() }));
    },
  });
}
