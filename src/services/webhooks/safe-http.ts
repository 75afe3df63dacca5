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
export function refusalReason(address: string, allowed: readonly Range[]): string | null {
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
  return `${address} is a ${range} address; webhooks may only reach public addresses (allow it with WEBHOOK_ALLOW_PRIVATE)`;
}

/** A DNS lookup that refuses (fails) when any resolved address is not allowed: the check happens at connect time, so DNS cannot change in between. */
export function guardedLookup(allowed: readonly Range[]): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      for (const a of addresses) {
        const reason = refusalReason(a.address, allowed);
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
export function checkTargetUrl(raw: string, allowed: readonly Range[]): URL {
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
    const reason = refusalReason(host, allowed);
    if (reason) throw new TargetRefusedError(reason);
  }
  return url;
}

/** Resolves the URL's host now and refuses private targets (used when an endpoint is saved). */
export async function checkTarget(raw: string, allowed: readonly Range[]): Promise<URL> {
  const url = checkTargetUrl(raw, allowed);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!isIP(host)) {
    await new Promise<void>((resolve, reject) => {
      guardedLookup(allowed)(host, { all: true }, (err: NodeJS.ErrnoException | null) => (err ? reject(err) : resolve()));
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
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = checkTargetUrl(rawUrl, options.allowed);
    } catch (err) {
      reject(err);
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (err: Error | null, result?: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      if (err) reject(err);
      else resolve(result!);
    };
    const request = client.request(url, {
      method: 'POST',
      agent: false,
      lookup: guardedLookup(options.allowed),
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Dateline-Webhooks/1.0',
        ...headers,
      },
    });
    const timer = setTimeout(() => finish(new Error(`no answer within ${options.timeoutMs} ms (timed out)`)), options.timeoutMs);
    request.on('error', (err) => finish(err));
    request.on('response', (response) => {
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
      response.on('error', (err) => finish(err));
    });
    request.end(body);
  });
}
