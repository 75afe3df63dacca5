import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { sharp } from './sharp.js';
import { lazyImport } from './lazy-require.js';
import type Sharp from 'sharp';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';

const run = promisify(execFile);
// Content sniffing (file-type and its tokenizers, ~30 modules) is loaded with the first upload.
const fileType = lazyImport(() => import('file-type'));

/** What uploads may be, decided from content. */
export const ACCEPTED_TYPES: Record<string, { kind: 'image' | 'video'; ext: string }> = {
  'image/jpeg': { kind: 'image', ext: 'jpg' },
  'image/png': { kind: 'image', ext: 'png' },
  'image/webp': { kind: 'image', ext: 'webp' },
  'image/avif': { kind: 'image', ext: 'avif' },
  'image/gif': { kind: 'image', ext: 'gif' },
  'video/mp4': { kind: 'video', ext: 'mp4' },
  'video/webm': { kind: 'video', ext: 'webm' },
};

const EXTENSION_TYPES: Record<string, string[]> = {
  jpg: ['image/jpeg'], jpeg: ['image/jpeg'], png: ['image/png'], webp: ['image/webp'], avif: ['image/avif'], gif: ['image/gif'],
  mp4: ['video/mp4'], m4v: ['video/mp4'], webm: ['video/webm'],
};

/** The real type of a file from its first bytes. */
export async function sniffFile(path: string): Promise<{ mime: string; kind: 'image' | 'video'; ext: string }> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4100);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const { fileTypeFromBuffer } = await fileType();
    const type = await fileTypeFromBuffer(head.subarray(0, bytesRead));
    // file-type calls some MP4 brands video/quicktime-like names; normalise the ones we accept.
    const mime = type?.mime === 'video/x-m4v' ? 'video/mp4' : type?.mime;
    const accepted = mime ? ACCEPTED_TYPES[mime] : undefined;
    if (!mime || !accepted) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', text('fileNotMedia', { what: mime ?? text('notRecognised') }));
    }
    return { mime, ...accepted };
  } finally {
    await handle.close();
  }
}

/** Refuses files whose name or declared type says something other than their content. */
export function assertHonestLabel(actual: string, declaredMime: string | undefined, filename: string | undefined): void {
  const declared = (declaredMime ?? '').toLowerCase().split(';')[0]!.trim();
  if (declared && declared !== 'application/octet-stream' && declared !== actual && !(declared === 'image/jpg' && actual === 'image/jpeg')) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', text('declaredMismatch', { declared, actual }));
  }
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext && EXTENSION_TYPES[ext] && !EXTENSION_TYPES[ext].includes(actual)) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', text('extensionMismatch', { ext, actual }));
  }
}

/**
 * Reads an image's size (after EXIF orientation) and decodes it fully, so truncated
 * files and decompression bombs are refused before anything is stored.
 */
export async function probeImage(path: string, maxMegapixels: number): Promise<{ width: number; height: number }> {
  let meta: Sharp.Metadata;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch {
    throw new DomainError('MEDIA_CORRUPT', text('imageUnreadable'));
  }
  if (!meta.width || !meta.height) throw new DomainError('MEDIA_CORRUPT', text('imageNoSize'));
  const megapixels = (meta.width * meta.height) / 1e6;
  if (megapixels > maxMegapixels) {
    throw new DomainError('MEDIA_TOO_LARGE', text('imageTooManyPixels', { width: String(meta.width), height: String(meta.height), megapixels: Math.round(megapixels), max: maxMegapixels }));
  }
  try {
    await sharp(path, { failOn: 'truncated', limitInputPixels: Math.ceil(maxMegapixels * 1e6), animated: false })
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer();
  } catch {
    throw new DomainError('MEDIA_CORRUPT', text('imageTruncated'));
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return { width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height };
}

export interface VideoFacts {
  durationMs: number | null;
  width: number | null;
  height: number | null;
  codecs: string;
}

let ffmpegAvailable: boolean | null = null;

/** Whether ffmpeg and ffprobe are installed (looked up once, at first use). */
export async function hasFfmpeg(): Promise<boolean> {
  if (ffmpegAvailable !== null) return ffmpegAvailable;
  try {
    await run(process.env.FFPROBE_PATH || 'ffprobe', ['-version']);
    await run(process.env.FFMPEG_PATH || 'ffmpeg', ['-version']);
    ffmpegAvailable = true;
  } catch {
    ffmpegAvailable = false;
  }
  return ffmpegAvailable;
}

/** Forget the ffmpeg lookup (tests change FFPROBE_PATH). */
export function resetFfmpegCheck(): void {
  ffmpegAvailable = null;
}

export const FFMPEG_MISSING_WARNING =
  'ffmpeg/ffprobe is not installed on the server: the video was stored, but its duration, size and poster frame are unknown (install ffmpeg, e.g. apt-get install ffmpeg).';

/** Duration, size and codecs from ffprobe; refuses files ffprobe cannot read. */
export async function probeVideo(path: string): Promise<VideoFacts> {
  let out: string;
  try {
    ({ stdout: out } = await run(process.env.FFPROBE_PATH || 'ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], { maxBuffer: 4 << 20 }));
  } catch {
    throw new DomainError('MEDIA_CORRUPT', text('videoUnreadable'));
  }
  const info = JSON.parse(out) as { format?: { duration?: string }; streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number }[] };
  const video = info.streams?.find((s) => s.codec_type === 'video');
  if (!video) throw new DomainError('MEDIA_CORRUPT', text('videoNoStream'));
  const duration = Number(info.format?.duration);
  return {
    durationMs: Number.isFinite(duration) ? Math.round(duration * 1000) : null,
    width: video.width ?? null,
    height: video.height ?? null,
    codecs: (info.streams ?? []).map((s) => s.codec_name).filter(Boolean).join(','),
  };
}

/** A JPEG frame from about 10% into the video (at most 3 s in). */
export async function videoPosterFrame(path: string, durationMs: number | null, outPath: string): Promise<void> {
  const at = Math.min(3, Math.max(0, ((durationMs ?? 0) / 1000) * 0.1));
  await run(process.env.FFMPEG_PATH || 'ffmpeg', ['-v', 'error', '-y', '-ss', at.toFixed(2), '-i', path, '-frames:v', '1', '-q:v', '2', outPath]);
}
