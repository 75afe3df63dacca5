/**
 * `npm run eval:related [-- --corpus path.jsonl --queries N|all --split test] [--database-url postgres://…]`: scores the
 * related engine on a labeled news corpus (relevant = shares a label), beside a
 * YARPP-style baseline and a latest-first baseline, all over the same documents.
 *
 * Splits: the labeled documents, in file order, alternate between `tune` (0th, 2nd, …)
 * and `test` (1st, 3rd, …); `--split all` takes both. The default weights were tuned
 * with `--split tune` only, so `--split test` is held out. Every document stays in the
 * index either way: only the query documents differ. Labels never reach the engine.
 *
 * Corpus: JSON lines `{id, title, body, labels[], language?, date?, tags?[]}`; the
 * Reuters-21578 file (`topics` as labels; `places`, `people`, `orgs` as tags) is read
 * from ../shared/corpora/ by default. It is never copied into the repository.
 * SQLite by default; with `--database-url` on PostgreSQL, in a database created for the
 * run and dropped after.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { createServices } from '../src/services/index.js';
import { slugify } from '../src/domain/slug.js';
import { createScratchPostgres } from './archive-build.js';
import { parseCorpus, pickQueries } from './eval-corpus.js';
import { learnRelatedModel } from './learn-related.js';
import { yarppBm25Related, yarppRelated, type YarppDoc } from './yarpp-baseline.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: '../shared/corpora/reuters21578-train.jsonl' },
    queries: { type: 'string', default: 'all' },
    split: { type: 'string', default: 'all' },
    /** JSON overrides of the engine's weights, for tuning: --weights '{"tags":0.1}'. */
    weights: { type: 'string', default: '{}' },
    /** Print how often engine items are relevant by their text similarity, to calibrate minText (run with --weights '{"minText":0}'). */
    calibrate: { type: 'boolean', default: false },
    /** A sweep: a JSON array of weight overrides, each scored (engine precision@4 only) after the main run, over the same load. */
    sweep: { type: 'string', default: '[]' },
    /** JSON overrides of the engine's other options (queryTerms, textCandidates, …). */
    options: { type: 'string', default: '{}' },
    /** Also print precision@4 per label of the query documents (labels with 20 queries or more). */
    'by-label': { type: 'boolean', default: false },
    /** Fit the logistic model on this split's candidates, print it, and score the engine with it (in-sample) in the sweep. */
    learn: { type: 'boolean', default: false },
    /** With --learn: pointwise or pairwise, over the best N candidates of each query. */
    'learn-mode': { type: 'string', default: 'pairwise' },
    'learn-head': { type: 'string', default: '20' },
    /** Evaluate on PostgreSQL: a scratch database is created on this server and dropped after. */
    'database-url': { type: 'string' },
  },
});

function precisionAt(k: number, ranked: number[], relevant: (id: number) => boolean): number {
  return ranked.slice(0, k).filter(relevant).length / k;
}

function ndcgAt(k: number, ranked: number[], relevant: (id: number) => boolean, totalRelevant: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    if (relevant(id)) dcg += 1 / Math.log2(i + 2);
  });
  let idcg = 0;
  for (let i = 0; i < Math.min(k, totalRelevant); i++) idcg += 1 / Math.log2(i + 2);
  return idcg ? dcg / idcg : 0;
}

async function main(): Promise<void> {
  const corpusPath = resolve(values.corpus!);
  if (!existsSync(corpusPath)) {
    console.log(`eval:related: corpus not found at ${corpusPath}; nothing to evaluate (pass --corpus path.jsonl). Skipping.`);
    return;
  }
  const { docs, skipped } = parseCorpus(readFileSync(corpusPath, 'utf8'));
  console.log(`Corpus: ${corpusPath} — ${docs.length} documents${skipped ? ` (${skipped} lines skipped: not JSON objects, or neither title nor body)` : ''}`);
  // Checked before the slow load: a bad --split or --queries fails at once.
  const queries = pickQueries(docs, values.split!, values.queries!);
  if (!queries.length) {
    console.log('No labelled documents in this split: nothing to evaluate.');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dateline-eval-'));
  const scratch = values['database-url'] ? await createScratchPostgres(values['database-url']) : null;
  const handle = openDatabase(scratch?.url ?? `sqlite:${join(dir, 'eval.db')}`);
  console.log(`Engine: ${handle.engine}`);
  try {
    await migrateToLatest(handle);
    const services = createServices(handle, { dataDir: dir, mediaSitePrefix: 'eval' }, { clock: () => Date.now() });
    Object.assign(services.relatedEngine.options, JSON.parse(values.options!) as object);
    Object.assign(services.relatedEngine.options.weights, JSON.parse(values.weights!) as object);
    const sectionId = await services.repos.taxonomy.insertSection({ slug: 'news', name: 'News', names: {}, position: 0 });
    const types = { news: 21 };
    // Straight into the tables, then one reindex: far faster than publishing one by one.
    const idOf = new Map<string, number>();
    const started = Date.now();
    for (let i = 0; i < docs.length; i += 500) {
      await handle.db.transaction().execute(async (trx) => {
        for (const d of docs.slice(i, i + 500)) {
          const id = await services.repos.articles.insert(
            {
              language: d.language,
              translation_group: null,
              content_type_id: types.news,
              section_id: sectionId,
              status: 'published',
              slug: slugify(d.title) || `doc-${slugify(d.key) || 'x'}`,
              headline: d.title || `Document ${d.key}`,
              dek: '',
              body_html: '',
              body_text: d.body,
              byline: '',
              source: '',
              place: '',
              lead_media_id: null,
              first_published_at: d.at,
              published_at: d.at,
              created_at: d.at,
              updated_at: d.at,
            },
            trx,
          );
          const tagIds: number[] = [];
          for (const tag of d.tags) tagIds.push(await services.repos.taxonomy.upsertTag({ slug: `${tag.kind}-${slugify(tag.name)}`, name: tag.name, kind: tag.kind, language: d.language }, trx));
          await services.repos.articles.setTags(id, [...new Set(tagIds)], trx);
          idOf.set(d.key, id);
        }
      });
    }
    await services.search.reindex();
    const indexedAt = Date.now();
    await services.relatedEngine.buildVectors();
    console.log(`Loaded and indexed in ${((indexedAt - started) / 1000).toFixed(1)} s; semantic vectors in ${((Date.now() - indexedAt) / 1000).toFixed(1)} s`);

    const byArticle = new Map(docs.map((d) => [idOf.get(d.key)!, d]));
    const split = values.split!;
    const labelCount = new Map<string, number>();
    for (const d of docs) for (const l of new Set(d.labels)) labelCount.set(l, (labelCount.get(l) ?? 0) + 1);

    const yarppDocs: YarppDoc[] = docs.map((d) => ({ id: idOf.get(d.key)!, title: d.title, body: d.body, tags: d.tags.map((t) => `${t.kind}:${t.name}`) }));
    const yarpp = yarppRelated(yarppDocs);
    const strong = yarppBm25Related(yarppDocs);
    const byTime = [...docs].sort((a, b) => a.at - b.at || idOf.get(a.key)! - idOf.get(b.key)!).map((d) => idOf.get(d.key)!);
    const position = new Map(byTime.map((id, i) => [id, i]));

    const systems = ['engine', 'strong', 'yarpp', 'latest'] as const;
    const sums = Object.fromEntries(systems.map((s) => [s, { p4: 0, ndcg: 0, returned: 0 }])) as Record<(typeof systems)[number], { p4: number; ndcg: number; returned: number }>;
    const engineMs: number[] = [];
    /** CPU time of each compute (SQLite runs in this thread): what a busy machine does not inflate. */
    const engineCpuMs: number[] = [];
    const byLabel = new Map<string, { n: number; engine: number; strong: number; yarpp: number }>();
    /** Engine items by text similarity (steps of 0.025): how many, and how many relevant. */
    const byText = Array.from({ length: 20 }, () => ({ n: 0, hit: 0 }));
    for (const q of queries) {
      const id = idOf.get(q.key)!;
      const labels = new Set(q.labels);
      const relevant = (other: number) => byArticle.get(other)!.labels.some((l) => labels.has(l));
      // Every other document sharing a label (an upper bound for the ideal ranking).
      const totalRelevant = Math.min(10, Math.max(...[...labels].map((l) => (labelCount.get(l) ?? 1) - 1)));
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const computed = await services.relatedEngine.compute(id);
      engineMs.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      engineCpuMs.push((cpu.user + cpu.system) / 1000);
      const engine = computed.map((c) => c.id).slice(0, 10);
      for (const c of computed) {
        const bucket = Math.min(19, Math.floor(c.components.text * 40));
        const row = byText[bucket]!;
        row.n++;
        if (relevant(c.id)) row.hit++;
      }
      const p = position.get(id)!;
      const latest = byTime.slice(Math.max(0, p - 10), p).reverse();
      const lists = { engine, strong: strong(id), yarpp: yarpp(id), latest };
      for (const l of labels) {
        const row = byLabel.get(l) ?? byLabel.set(l, { n: 0, engine: 0, strong: 0, yarpp: 0 }).get(l)!;
        row.n++;
        row.engine += precisionAt(4, lists.engine, relevant);
        row.strong += precisionAt(4, lists.strong, relevant);
        row.yarpp += precisionAt(4, lists.yarpp, relevant);
      }
      for (const s of systems) {
        sums[s].p4 += precisionAt(4, lists[s], relevant);
        sums[s].ndcg += ndcgAt(10, lists[s], relevant, totalRelevant);
        sums[s].returned += Math.min(lists[s].length, 10);
      }
    }
    const n = queries.length;
    engineMs.sort((a, b) => a - b);
    const pct = (p: number) => (engineMs[Math.min(n - 1, Math.floor(p * n))] ?? 0).toFixed(1);
    console.log(`\n${n} query documents, split ${split} (relevant = shares a label)`);
    console.log(`engine compute per article: mean ${(engineMs.reduce((a, b) => a + b, 0) / n).toFixed(1)} ms, p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms`);
    engineCpuMs.sort((a, b) => a - b);
    const cpuPct = (p: number) => (engineCpuMs[Math.min(n - 1, Math.floor(p * n))] ?? 0).toFixed(1);
    console.log(`engine CPU time per article: p50 ${cpuPct(0.5)} ms, p95 ${cpuPct(0.95)} ms (wall time grows with the machine's load, CPU time does not)\n`);
    console.log('system                 precision@4   nDCG@10   items/list');
    const names = { engine: 'Dateline engine', strong: 'YARPP-style BM25', yarpp: 'YARPP-style baseline', latest: 'latest-first' };
    for (const s of systems) {
      console.log(`${names[s].padEnd(22)} ${(sums[s].p4 / n).toFixed(4).padStart(11)} ${(sums[s].ndcg / n).toFixed(4).padStart(9)} ${(sums[s].returned / n).toFixed(2).padStart(12)}`);
    }
    if (values['by-label']) {
      console.log('\nlabel              queries   engine P@4   BM25 P@4   YARPP P@4   vs BM25');
      for (const [l, r] of [...byLabel].filter(([, r]) => r.n >= 20).sort((a, b) => b[1].n - a[1].n)) {
        const d = ((r.engine - r.strong) / r.n) * 100;
        console.log(`${l.padEnd(18)} ${String(r.n).padStart(7)} ${(r.engine / r.n).toFixed(4).padStart(12)} ${(r.strong / r.n).toFixed(4).padStart(10)} ${(r.yarpp / r.n).toFixed(4).padStart(11)} ${`${d >= 0 ? '+' : ''}${d.toFixed(1)}`.padStart(9)}`);
      }
    }
    if (values.calibrate) {
      // Chance: how often a story of the latest-first list is relevant.
      console.log(`\ncalibration: share of engine items relevant, by text similarity (chance: ${(sums.latest.p4 / n).toFixed(3)})`);
      byText.forEach((r, i) => r.n && console.log(`text ${(i / 40).toFixed(3)}–${i === 19 ? '1' : ((i + 1) / 40).toFixed(3)}  items ${String(r.n).padStart(6)}  relevant ${(r.hit / r.n).toFixed(3)}`));
    }
    const sweep = JSON.parse(values.sweep!) as object[];
    if (values.learn) {
      const model = await learnRelatedModel(services.relatedEngine, queries.map((q) => idOf.get(q.key)!), (q, c) => {
        const labels = new Set(byArticle.get(q)!.labels);
        return byArticle.get(c)!.labels.some((l) => labels.has(l));
      }, { mode: values['learn-mode'] === 'pointwise' ? 'pointwise' : 'pairwise', head: Number(values['learn-head']) || 20 });
      sweep.unshift({ model: { ...model, minProbability: 0 }, modelByLanguage: {}, semanticModel: null, semanticModelByLanguage: {} });
    }
    if (sweep.length) {
      const saved = { ...services.relatedEngine.options.weights };
      console.log('\nsweep (engine precision@4 for each override of the weights above)');
      for (const override of sweep) {
        Object.assign(services.relatedEngine.options.weights, saved, override);
        let p4 = 0;
        for (const q of queries) {
          const id = idOf.get(q.key)!;
          const labels = new Set(q.labels);
          const list = (await services.relatedEngine.compute(id)).map((c) => c.id);
          p4 += precisionAt(4, list, (other) => byArticle.get(other)!.labels.some((l) => labels.has(l)));
        }
        console.log(`${(p4 / n).toFixed(4)}  ${((p4 / n - sums.strong.p4 / n) * 100).toFixed(1).padStart(5)} vs BM25  ${JSON.stringify(override)}`);
      }
      Object.assign(services.relatedEngine.options.weights, saved);
    }
    const lead = (other: 'strong' | 'yarpp') => {
      const d = ((sums.engine.p4 - sums[other].p4) / n) * 100;
      return `${d >= 0 ? '+' : ''}${d.toFixed(1)}`;
    };
    console.log(`\nEngine vs YARPP-style BM25 (strong): ${lead('strong')} points precision@4; vs YARPP-style: ${lead('yarpp')}`);
  } finally {
    await handle.close();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
