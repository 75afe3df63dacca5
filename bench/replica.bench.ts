/**
 * Read replicas: what a public read costs on a replica and on the primary, what a reader
 * pays when the replica goes away, and how long public reads stay on the primary after a
 * publish (the purge fence) before the replica has applied it. Starts its own primary and
 * streaming replica (test/helpers/pg-replica.ts).
 *
 *   npm run bench:replica -- [--reads 400]
 */
import { parseArgs } from 'node:util';
import { createTestApp } from '../test/helpers/app.js';
import { makeArticle, makeSection } from '../test/helpers/factories.js';
import { login, makeUser } from '../test/helpers/newsroom.js';
import { startPgReplicaPair } from '../test/helpers/pg-replica.js';

const { values } = parseArgs({ options: { reads: { type: 'string', default: '400' } } });
const reads = Number(values.reads);

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms`;
}

const pair = await startPgReplicaPair();
try {
  const t = await createTestApp('postgres', {}, undefined, {
    contentCacheSeconds: 0,
    database: { url: pair.primaryUrl, open: { replicas: { urls: [pair.replicaUrl], maxLagMs: 2000, checkMs: 250 } } },
  });
  const set = t.handle.routing!.replicas;
  set.log = () => undefined;
  const section = await makeSection(t);
  const ids: number[] = [];
  for (let i = 0; i < 50; i++) ids.push(await makeArticle(t, section, { headline: `Bench story ${i}` }));
  await pair.waitForReplay();
  await set.check();

  const timeReads = async (n: number) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/articles/${ids[i % ids.length]}` });
      if (res.statusCode !== 200) throw new Error(`read failed: ${res.statusCode}`);
      samples.push(performance.now() - start);
    }
    return samples;
  };

  await timeReads(50);
  const replicaBefore = set.replicas[0]!.reads;
  const onReplica = await timeReads(reads);
  console.log(`GET /api/v1/articles/:id on the replica:  ${percentiles(onReplica)} (${set.replicas[0]!.reads - replicaBefore} replica queries)`);

  // Replay paused and a write pending: past the lag bound the replica leaves the rotation and the same reads go to the primary.
  await pair.pauseReplay();
  await makeArticle(t, section, { headline: 'Written while replay is paused' });
  while (set.replicas[0]!.healthy) await new Promise((r) => setTimeout(r, 50));
  const primaryBefore = set.primaryReads;
  const onPrimary = await timeReads(reads);
  console.log(`GET /api/v1/articles/:id on the primary:  ${percentiles(onPrimary)} (${set.primaryReads - primaryBefore} primary queries)`);
  await pair.resumeReplay();
  await pair.waitForReplay();
  await set.check();

  // A publish: how long public reads stay on the primary before the replica has applied it.
  const editor = await login(t.app, await makeUser(t, 'editor'));
  const current = await editor.get(`/api/admin/articles/${ids[0]}`);
  const saved = await editor.put(`/api/admin/articles/${ids[0]}`, { baseRevision: current.json().revision, headline: 'Bench story, corrected' });
  if (saved.statusCode !== 200) throw new Error(`save failed: ${saved.statusCode}`);
  const fenced = performance.now();
  let fencedReads = 0;
  for (const before = set.replicas[0]!.reads; set.replicas[0]!.reads === before; fencedReads++) await timeReads(1);
  console.log(`after a purge: public reads on the primary for ${(performance.now() - fenced).toFixed(1)} ms (${fencedReads} reads) until the replica applied it`);

  await pair.stopReplica();
  const failover = await timeReads(1);
  const untilNoticed = await timeReads(20);
  console.log(`replica stopped: in the rotation after the first failed read: ${set.replicas[0]!.healthy}`);
  console.log(`replica stopped: first read ${failover[0]!.toFixed(2)} ms (retried on the primary), next 20: ${percentiles(untilNoticed)}`);
  await t.cleanup();
} finally {
  await pair.stop();
}
