/**
 * The load generator the HTTP benchmarks share: wrk (C, one thread: it leaves the cores
 * to the servers being compared) when installed or installable from Debian, else
 * autocannon (in-repo, but JavaScript: it takes a core of its own, so ratios to nginx
 * come out lower). Which one ran is printed with the figures.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

let chosen: 'wrk' | 'autocannon' | null = null;

/** Finds wrk, installing Debian's package once when it is missing; says what it uses. */
export function loadGenerator(): 'wrk' | 'autocannon' {
  if (chosen) return chosen;
  const has = () => spawnSync('wrk', ['--version']).error === undefined;
  if (!has() && process.env.BENCH_INSTALL !== 'off') {
    console.log('wrk is not installed: trying apt-get install wrk (BENCH_INSTALL=off to skip)…');
    ensureDebianPackage('wrk');
  }
  chosen = has() ? 'wrk' : 'autocannon';
  if (chosen === 'autocannon') console.log('wrk unavailable: measuring with autocannon, which shares the cores with the servers (ratios come out lower).');
  return chosen;
}

/** `apt-get install` (with one `apt-get update` when the first try fails); true when it worked. */
export function ensureDebianPackage(name: string): boolean {
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', name], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (install()) return true;
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  return install();
}

const ms = (value: string, unit: string): number => Number(value) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);

/** Requests/s and latency for `url` over `seconds` with `connections` keep-alive connections. */
export async function measureLoad(url: string, connections: number, seconds: number): Promise<LoadResult> {
  if (loadGenerator() === 'wrk') {
    const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { encoding: 'utf8' });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
    const pct = (p: string) => {
      const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
      return m ? Math.round(ms(m[1]!, m[2]!) * 100) / 100 : NaN;
    };
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    const errors = non2xx + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
    return { rps, p50: pct('50'), p99: pct('99'), errors };
  }
  const r = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.non2xx + r.errors };
}
