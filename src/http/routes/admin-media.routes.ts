import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { preHandlerHookHandler } from 'fastify';
import type { Capability } from '../../domain/roles.js';
import { DomainError } from '../../domain/errors.js';
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
    alt: Type.Optional(Type.String({ maxLength: 1000 })),
    caption: Type.Optional(Type.String({ maxLength: 4000 })),
    credit: Type.Optional(Type.String({ maxLength: 300 })),
    licence: Type.Optional(Type.String({ maxLength: 300 })),
    focalX: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    focalY: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
const TEXT_FIELDS = ['alt', 'caption', 'credit', 'licence'] as const;

function encodeCursor(item: MediaItem): string {
  return Buffer.from(`${item.createdAt}.${item.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: number } {
  const m = /^(\d{1,16})\.(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!m) throw new DomainError('INVALID_CURSOR', 'The cursor is not one this API issued; start again without it.');
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
      limits: { fileSize: options.maxUploadBytes, files: 1, fields: 8, fieldSize: 8 * 1024, parts: 10 },
    });

    app.post('/media', { preHandler: guard('media.upload'), schema: { tags: ['admin'], summary: 'Upload a photo or video (multipart, field "file")', consumes: ['multipart/form-data'] } }, async (request, reply) => {
      if (!request.isMultipart()) {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data with a part named "file".');
      }
      const dir = await mkdtemp(join(tmpdir(), 'dateline-upload-'));
      try {
        const path = join(dir, 'upload');
        const fields: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {};
        let file: { mimetype: string; filename: string } | null = null;
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file' || file) {
                part.file.resume();
                throw new DomainError('BAD_REQUEST', 'Send exactly one file, in a part named "file".');
              }
              await pipeline(part.file, createWriteStream(path));
              file = { mimetype: part.mimetype, filename: part.filename };
            } else if ((TEXT_FIELDS as readonly string[]).includes(part.fieldname)) {
              fields[part.fieldname as (typeof TEXT_FIELDS)[number]] = String(part.value);
            }
          }
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new DomainError('MEDIA_TOO_LARGE', `The file is larger than the upload limit of ${Math.round(options.maxUploadBytes / 1048576)} MB.`);
          }
          throw err;
        }
        if (!file) throw new DomainError('BAD_REQUEST', 'No file was sent: add a part named "file".');
        const item = await services.media.ingest({ path, declaredMime: file.mimetype, filename: file.filename, ...fields });
        return reply.code(201).send(dto(item, 0));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
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
      const item = await services.media.update(request.params.id, request.body);
      return dto(item, (await services.media.usage(item.id)).length);
    });

    app.get('/media/:id/usage', { preHandler: guard('media.read'), schema: { tags: ['admin'], params: MediaIdParams } }, async (request) => ({
      items: await services.media.usage(request.params.id),
    }));

    app.delete('/media/:id', { preHandler: guard('media.delete'), schema: { tags: ['admin'], params: MediaIdParams } }, async (request, reply) => {
      await services.media.delete(request.params.id);
      return reply.code(204).send();
    });
  };
}
