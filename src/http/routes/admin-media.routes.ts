import { join } from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { preHandlerHookHandler } from 'fastify';
import type { Capability } from '../../domain/roles.js';
import { DomainError } from '../../domain/errors.js';
import { text } from '../../site/i18n.js';
import { TEXT_LIMITS } from '../../domain/limits.js';
import { bodyTimeoutOf } from '../plugins/body-timeouts.js';
import { boundaryOf, MultipartWatch, receiveFile, uploadError } from '../upload-body.js';
import { cleanText } from '../plugins/input-hygiene.js';
import { principalOf } from '../plugins/auth.js';
import type { MediaItem } from '../../db/repositories/media.repository.js';
import type { Services } from '../../services/index.js';
import type { ApiMapper } from '../mappers.js';

const MediaIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false });
const MediaListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    kind: Type.Optional(Type.Union([Type.Literal('image'), Type.Literal('video')])),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
  },
  { additionalProperties: false },
);
const MediaPatchBody = Type.Object(
  {
    alt: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.alt })),
    caption: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.caption })),
    credit: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.credit })),
    licence: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.licence })),
    focalX: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    focalY: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
const MEDIA_TEXT_FIELDS = ['alt', 'caption', 'credit', 'licence'] as const;
type MediaTextField = (typeof MEDIA_TEXT_FIELDS)[number];
/** Multipart field size in bytes: the longest allowed text (in characters) at 4 UTF-8 bytes each, so no valid value is ever cut. */
const MULTIPART_FIELD_BYTES = 4 * Math.max(...MEDIA_TEXT_FIELDS.map((f) => TEXT_LIMITS[f])) + 1024;

/** The same limits at upload as when editing (PATCH), with a message naming the limit. */
function checkMediaText(field: MediaTextField, value: string): string {
  const limit = TEXT_LIMITS[field];
  if (value.length > limit) throw new DomainError('VALIDATION_FAILED', text('textTooLong', { label: { term: `field.${field}` }, length: value.length, max: limit }));
  return value;
}

function encodeCursor(item: MediaItem): string {
  return Buffer.from(`${item.createdAt}.${item.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: number } {
  const m = /^(\d{1,16})\.(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!m) throw new DomainError('INVALID_CURSOR', text('cursorInvalid'));
  return { createdAt: Number(m[1]), id: Number(m[2]) };
}

/**
 * Media library admin API: streamed multipart uploads (checked from content, size
 * limited, nothing kept when refused), list and search, metadata and focal point,
 * usage, deletion of unused items. `guard` enforces the role matrix.
 */
export function adminMediaRoutes(
  services: Services,
  mapper: ApiMapper,
  options: { maxUploadBytes: number; guard: (capability: Capability) => preHandlerHookHandler },
): FastifyPluginAsyncTypebox {
  const { guard } = options;
  const dto = (item: MediaItem, usedBy: number) => ({
    ...mapper.media(item)!,
    originalName: item.originalName,
    bytes: item.bytes,
    codecs: item.codecs,
    warnings: item.warnings,
    usedBy,
    createdAt: new Date(item.createdAt).toISOString(),
  });

  return async (app) => {
    await app.register(fastifyMultipart, {
      limits: { fileSize: options.maxUploadBytes, files: 1, fields: 8, fieldSize: MULTIPART_FIELD_BYTES, parts: 10, headerPairs: 20 },
    });

    app.post('/media', { preHandler: guard('media.upload'), schema: { tags: ['admin'], summary: 'Upload a photo or video (multipart, field "file")', consumes: ['multipart/form-data'] } }, async (request, reply) => {
      if (!request.isMultipart()) {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', text('uploadNotMultipart'));
      }
      const boundary = boundaryOf(request.headers['content-type']);
      if (!boundary) {
        throw new DomainError('BAD_REQUEST', text('uploadNoBoundary'));
      }
      // Received under DATA_DIR/tmp and removed on every path (a killed process's folder is swept at start-up).
      const item = await services.temp.using('upload', async (dir) => {
        const path = join(dir, 'upload');
        const fields: Partial<Record<MediaTextField, string>> = {};
        let file: { mimetype: string; filename: string } | null = null;
        try {
          // Watch and parser start in the same tick, so both see every byte of the body.
          const watch = new MultipartWatch(request.raw, boundary);
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file' || file) {
                part.file.resume();
                throw new DomainError('BAD_REQUEST', text('uploadOneFile'));
              }
              await receiveFile(part.file, path, watch);
              // The file reader stops at the size limit; the rest of the body is not wanted.
              if (part.file.truncated) throw Object.assign(new Error('file too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
              file = { mimetype: part.mimetype, filename: cleanText(part.filename ?? '') };
            } else if ((MEDIA_TEXT_FIELDS as readonly string[]).includes(part.fieldname)) {
              const name = part.fieldname as MediaTextField;
              if (part.valueTruncated) throw new DomainError('VALIDATION_FAILED', text('uploadFieldTooLong', { field: { term: `field.${name}` }, max: TEXT_LIMITS[name] }));
              fields[name] = checkMediaText(name, cleanText(String(part.value)));
            }
          }
          // The parts can end quietly on a body that stopped short: only the closing boundary says it is whole.
          watch.assertComplete();
        } catch (err) {
          reply.header('connection', 'close');
          throw bodyTimeoutOf(request) ?? uploadError(err, options.maxUploadBytes);
        }
        if (!file) throw new DomainError('BAD_REQUEST', text('uploadNoFile'));
        return services.media.ingest({ path, declaredMime: file.mimetype, filename: file.filename, ...fields }, principalOf(request));
      });
      return reply.code(201).send(dto(item, 0));
    });

    app.get('/media', { preHandler: guard('media.read'), schema: { tags: ['admin'], summary: 'Media library, newest first', querystring: MediaListQuery } }, async (request) => {
      const limit = request.query.limit ?? 30;
      const items = await services.media.list({
        q: request.query.q?.trim() || undefined,
        kind: request.query.kind,
        limit: limit + 1,
        before: request.query.cursor ? decodeCursor(request.query.cursor) : undefined,
      });
      const more = items.length > limit;
      if (more) items.length = limit;
      const usage = await services.repos.media.countUsage(items.map((i) => i.id));
      return { items: items.map((i) => dto(i, usage.get(i.id) ?? 0)), nextCursor: more ? encodeCursor(items.at(-1)!) : null };
    });

    app.get('/media/:id', { preHandler: guard('media.read'), schema: { tags: ['admin'], params: MediaIdParams } }, async (request) => {
      const item = await services.media.get(request.params.id);
      return dto(item, (await services.media.usage(item.id)).length);
    });

    app.patch('/media/:id', { preHandler: guard('media.edit'), schema: { tags: ['admin'], params: MediaIdParams, body: MediaPatchBody } }, async (request) => {
      const item = await services.media.update(request.params.id, request.body, principalOf(request));
      return dto(item, (await services.media.usage(item.id)).length);
    });

    app.get('/media/:id/usage', { preHandler: guard('media.read'), schema: { tags: ['admin'], params: MediaIdParams } }, async (request) => ({
      items: await services.media.usage(request.params.id),
    }));

    app.delete('/media/:id', { preHandler: guard('media.delete'), schema: { tags: ['admin'], params: MediaIdParams } }, async (request, reply) => {
      await services.media.delete(request.params.id, principalOf(request));
      return reply.code(204).send();
    });
  };
}
