import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sharp } from '../services/sharp.js';

const run = promisify(execFile);

/** A small deterministic PRNG so the same demo key always draws the same picture. */
function seededRandom(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    h ^= h >>> 16;
    return (h >>> 0) / 4294967296;
  };
}

/** An abstract landscape in the article's palette, drawn as SVG (no fonts needed). */
function pictureSvg(seed: string, palette: [string, string], width: number, height: number, video: boolean): string {
  const rnd = seededRandom(seed);
  const [a, b] = palette;
  const shapes: string[] = [];
  const horizon = height * (0.45 + rnd() * 0.2);
  for (let i = 0; i < 7; i++) {
    const cx = rnd() * width;
    const r = 40 + rnd() * (height / 3);
    shapes.push(`<circle cx="${cx.toFixed(0)}" cy="${(rnd() * horizon).toFixed(0)}" r="${r.toFixed(0)}" fill="#fff" fill-opacity="${(0.05 + rnd() * 0.12).toFixed(2)}"/>`);
  }
  let ridge = `M0 ${horizon.toFixed(0)}`;
  for (let x = 0; x <= width; x += width / 12) ridge += ` L${x.toFixed(0)} ${(horizon - rnd() * height * 0.25).toFixed(0)}`;
  ridge += ` L${width} ${height} L0 ${height} Z`;
  for (let i = 0; i < 5; i++) {
    const w = 30 + rnd() * 90;
    const h = 80 + rnd() * height * 0.35;
    const x = rnd() * (width - w);
    shapes.push(`<rect x="${x.toFixed(0)}" y="${(height - h).toFixed(0)}" width="${w.toFixed(0)}" height="${h.toFixed(0)}" fill="#000" fill-opacity="${(0.15 + rnd() * 0.2).toFixed(2)}"/>`);
  }
  const play = video
    ? `<circle cx="${width / 2}" cy="${height / 2}" r="${height / 8}" fill="#000" fill-opacity="0.45"/><path d="M${width / 2 - height / 24} ${height / 2 - height / 16} L${width / 2 + height / 14} ${height / 2} L${width / 2 - height / 24} ${height / 2 + height / 16} Z" fill="#fff"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}
<path d="${ridge}" fill="${a}" fill-opacity="0.55"/>${play}</svg>`;
}

/** A JPEG picture for a demo article (4:3). */
export async function drawDemoPicture(seed: string, palette: [string, string], video = false): Promise<{ data: Buffer; width: number; height: number }> {
  const width = 1200;
  const height = 900;
  const data = await sharp(Buffer.from(pictureSvg(seed, palette, width, height, video))).jpeg({ quality: 78, mozjpeg: true }).toBuffer();
  return { data, width, height };
}

/**
 * A short MP4 for a demo video report, made by ffmpeg from the poster (a slow zoom).
 * Returns null when ffmpeg is not installed; the caller keeps the record and warns.
 */
export async function drawDemoVideo(poster: Buffer): Promise<{ data: Buffer; durationMs: number; width: number; height: number } | null> {
  const dir = await mkdtemp(join(tmpdir(), 'dateline-demo-'));
  try {
    const input = join(dir, 'poster.jpg');
    const output = join(dir, 'clip.mp4');
    await sharp(poster).resize(640, 480).toFile(input);
    await run('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', input, '-t', '3',
      '-vf', "zoompan=z='min(zoom+0.002,1.2)':d=75:s=640x480,format=yuv420p", '-r', '25',
      '-c:v', 'libx264', '-preset', 'veryfast', '-movflags', '+faststart', output,
    ]);
    return { data: await readFile(output), durationMs: 3000, width: 640, height: 480 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
