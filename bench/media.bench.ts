/**
 * Media benchmark: how many 24-megapixel JPEGs per second go from upload (checks +
 * storage) through the full rendition set (3 crops × up to 4 widths × AVIF/WebP/JPEG),
 * and the peak memory of the process while doing it. Figures are printed, not asserted.
 *
 *   npm run bench:media                 # 4 images
 *   BENCH_IMAGES=8 npm run bench:media
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { createJobHandlers } from '../src/jobs/job-handlers.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { createServices } from '../src/services/index.js';

const count = Number(process.env.BENCH_IMAGES ?? 4);
if (process.env.SHARP_CONCURRENCY) sharp.concurrency(Number(process.env.SHARP_CONCURRENCY));
const dir = mkdtempSync(join(tmpdir(), 'dateline-bench-media-'));

// A photo-like 24 MP picture: gradient plus grain, so it compresses like a real JPEG.
const width = 6000;
const height = 4000;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1d3557"/><stop offset="0.5" stop-color="#e9c46a"/><stop offset="1" stop-color="#2a9d8f"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="2000" cy="1500" r="900" fill="#fff" fill-opacity="0.3"/></svg>`;
const grain = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 0, sigma: 12 } } }).png().toBuffer();
const jpeg = await sharp(Buffer.from(svg)).composite([{ input: grain, blend: 'add' }]).jpeg({ quality: 90 }).toBuffer();
const source = join(dir, 'photo-24mp.jpg');
writeFileSync(source, jpeg);
console.log(`Source: ${width}×${height} JPEG, ${(jpeg.length / 1048576).toFixed(1)} MB; ${count} images; sharp/libvips ${sharp.versions.vips}, ${sharp.concurrency()} threads`);

const handle = openDatabase(`sqlite:${join(dir, 'bench.db')}`);
await migrateToLatest(handle);
const services = createServices(handle, { dataDir: dir, mediaSitePrefix: 'bench', mediaMaxMegapixels: 100 });
const runner = new JobRunner(services.repos.jobs, createJobHandlers(services), services.clock);

const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);

const t0 = performance.now();
for (let i = 0; i < count; i++) await services.media.ingest({ path: source, filename: `photo-${i}.jpg`, declaredMime: 'image/jpeg', alt: 'Benchmark photo' });
const t1 = performance.now();
await runner.runDue();
const t2 = performance.now();
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);

const renditions = (await services.repos.media.renditionsOf(1)).length;
const ingestS = (t1 - t0) / 1000;
const renderS = (t2 - t1) / 1000;
console.log(`\nDateline media benchmark (${count} × 24 MP JPEG, ${renditions} renditions each)`);
console.log(`  upload checks + storage : ${(ingestS / count * 1000).toFixed(0)} ms per image`);
console.log(`  renditions              : ${(renderS / count).toFixed(2)} s per image`);
console.log(`  end to end              : ${(count / (ingestS + renderS)).toFixed(2)} images/s`);
console.log(`  peak RSS                : ${(peak / 1048576).toFixed(0)} MB (baseline ${(baseline / 1048576).toFixed(0)} MB, +${((peak - baseline) / 1048576).toFixed(0)} MB)`);
await handle.close();
rmSync(dir, { recursive: true, force: true });
