import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';

/** The answer to an upload whose body ended (or whose client went away) before its closing boundary. */
export function uploadIncomplete(): DomainError {
  return new DomainError('BAD_REQUEST', text('uploadIncomplete'));
}

/** The `boundary` parameter of a multipart Content-Type, quoted or not; null when there is none. */
export function boundaryOf(contentType: string | undefined): string | null {
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,256})"|([^\s;"]{1,256}))\s*(?:;|$)/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

/**
 * Watches the raw bytes of a multipart request for its closing delimiter
 * (`--boundary--`) and for the end of the request. The multipart parser treats a body
 * that simply stops as finished ("Unexpected end of multipart data" ends its part
 * iterator quietly), and a cut file part can end like a whole one; so completeness is
 * decided here, from the bytes: a body is complete only if the delimiter arrived.
 * Decided, not guessed: no timer is involved, so a slow disk never fails a good upload.
 */
export class MultipartWatch {
  private readonly needle: Buffer;
  /** The last needle-length − 1 bytes seen, so a delimiter split across chunks is found. */
  private carry: Buffer;
  private closingSeen = false;
  private settled = false;
  private fail!: (err: Error) => void;
  /** Rejects once the body can no longer complete: it ended without the delimiter, or the client went away. */
  readonly cut: Promise<never>;

  constructor(raw: IncomingMessage, boundary: string) {
    this.needle = Buffer.from(`\r\n--${boundary}--`, 'latin1');
    // The delimiter may open the body (an empty form), with no CRLF before it.
    this.carry = Buffer.from('\r\n');
    this.cut = new Promise<never>((_, reject) => (this.fail = reject));
    this.cut.catch(() => {});
    const onData = (chunk: Buffer) => {
      if (this.closingSeen) return;
      const window = Buffer.concat([this.carry, chunk]);
      if (window.indexOf(this.needle) !== -1) {
        this.closingSeen = true;
        return;
      }
      this.carry = window.subarray(Math.max(0, window.length - (this.needle.length - 1)));
    };
    const onEnd = () => {
      if (!this.closingSeen) this.reject();
    };
    const onClose = () => {
      if (!raw.complete) this.reject();
    };
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('aborted', () => this.reject());
    raw.once('close', onClose);
    if (raw.readableEnded && !this.closingSeen) this.reject();
  }

  /** True once the closing delimiter has arrived. */
  get complete(): boolean {
    return this.closingSeen;
  }

  /** Throws the 400 when the parts ended without the closing delimiter. */
  assertComplete(): void {
    if (!this.closingSeen) throw uploadIncomplete();
  }

  private reject(): void {
    if (this.settled) return;
    this.settled = true;
    this.fail(Object.assign(new Error('Part terminated early'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
  }

}

/**
 * Writes one file part to `path`. Ends with the part, or fails as soon as the body can
 * no longer complete (the part stream of a cut body may otherwise never end).
 */
export async function receiveFile(file: NodeJS.ReadableStream & { destroy(err?: Error): void }, path: string, watch: MultipartWatch): Promise<void> {
  const output = createWriteStream(path);
  try {
    await Promise.race([pipeline(file, output), watch.cut]);
  } catch (err) {
    file.destroy();
    throw err;
  } finally {
    output.destroy();
  }
}

/**
 * What a failed multipart read means for the client: a 4xx naming the problem (too big,
 * too many parts, malformed or cut short), never a 500. Unknown errors pass through.
 */
export function uploadError(err: unknown, maxUploadBytes: number): unknown {
  if (err instanceof DomainError) return err;
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new DomainError('MEDIA_TOO_LARGE', text('uploadTooLarge', { mb: Math.round(maxUploadBytes / 1048576) }));
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new DomainError('BAD_REQUEST', text('uploadTooManyParts'));
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new DomainError('UNSUPPORTED_MEDIA_TYPE', text('uploadNotMultipart'));
    case 'FST_PROTO_VIOLATION':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return uploadIncomplete();
  }
  const message = e.message ?? '';
  if (/unexpected end|terminated early/i.test(message)) return uploadIncomplete();
  if (/boundary|needle|multipart|malformed|part header|content-type/i.test(message)) {
    return new DomainError('BAD_REQUEST', text('uploadMalformed', { reason: message.replace(/needle/gi, 'boundary') }));
  }
  return err;
}
