import { diffWords } from 'diff';
import type { Repositories } from '../db/repositories/index.js';
import type { NewsroomRepositories } from '../db/repositories/newsroom-repositories.js';
import type { RevisionRow } from '../db/schema/newsroom.schema.js';
import type { ArticleContent, RevisionSnapshot } from '../domain/admin-article.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import type { Principal } from '../domain/roles.js';
import { htmlToText } from './html-sanitizer.js';
import type { AdminArticle } from '../domain/admin-article.js';
import { compareRevisions, type FieldComparison } from '../domain/revision-compare.js';
import type { WorkflowService } from './workflow.service.js';

export interface RevisionSummary {
  number: number;
  createdAt: number;
  userId: number | null;
  userName: string;
  autosave: boolean;
  /** create, save, autosave, restore, or the workflow action (publish, kill, …). */
  action: string;
  headline: string;
}

export interface Revision extends RevisionSummary, RevisionSnapshot {}

export interface RevisionDiff {
  fields: { field: string; before: unknown; after: unknown }[];
  bodyDiff: { op: 'equal' | 'insert' | 'delete'; text: string }[];
}

const COMPARED_FIELDS = [
  'status',
  'headline',
  'dek',
  'sectionId',
  'contentTypeId',
  'language',
  'byline',
  'source',
  'place',
  'leadMediaId',
  'tags',
  'related',
  'bodyHtml',
] as const;

function fromRow(r: RevisionRow): Revision {
  const snapshot = JSON.parse(r.snapshot_json) as RevisionSnapshot;
  return {
    ...snapshot,
    number: r.number,
    createdAt: r.created_at,
    userId: r.user_id,
    userName: r.actor_name,
    autosave: r.autosave === 1,
    action: r.action,
  };
}

/** Article history: list, view, compare and restore revisions. */
export class RevisionService {
  constructor(
    private readonly repos: NewsroomRepositories,
    private readonly workflow: WorkflowService,
    private readonly content: Repositories,
  ) {}

  async list(articleId: number): Promise<RevisionSummary[]> {
    await this.workflow.get(articleId);
    return (await this.repos.revisions.list(articleId)).map((r) => {
      const { number, createdAt, userId, userName, autosave, action, headline } = fromRow(r);
      return { number, createdAt, userId, userName, autosave, action, headline };
    });
  }

  async get(articleId: number, number: number): Promise<Revision> {
    const row = await this.repos.revisions.find(articleId, number);
    if (!row) {
      await this.workflow.get(articleId);
      throw new DomainError('REVISION_NOT_FOUND', text('revisionNotFound', { id: String(articleId), number: String(number) }));
    }
    return fromRow(row);
  }

  /** What changed from revision `against` (default: the one before) to revision `number`. */
  async diff(articleId: number, number: number, against?: number): Promise<RevisionDiff> {
    const after = await this.get(articleId, number);
    let before: Revision | null;
    if (against !== undefined) before = await this.get(articleId, against);
    else {
      const previous = await this.repos.revisions.findPrevious(articleId, number);
      before = previous ? fromRow(previous) : null;
    }
    const fields: RevisionDiff['fields'] = [];
    for (const field of COMPARED_FIELDS) {
      const b = before ? before[field] : null;
      const a = after[field];
      if (JSON.stringify(b) !== JSON.stringify(a)) fields.push({ field, before: b, after: a });
    }
    // Word diff of the text editors read, not of the markup.
    const bodyDiff = diffWords(before ? htmlToText(before.bodyHtml) : '', htmlToText(after.bodyHtml)).map((part) => ({
      op: part.added ? ('insert' as const) : part.removed ? ('delete' as const) : ('equal' as const),
      text: part.value,
    }));
    return { fields, bodyDiff };
  }

  /**
   * Compares two revisions as an editor reads them, always from the older to the
   * newer whichever order they are given in: rendered fields with word-level changes.
   */
  async compare(articleId: number, a: number, b: number): Promise<{ from: number; to: number; fields: FieldComparison[] }> {
    const [from, to] = a <= b ? [a, b] : [b, a];
    const [older, newer] = await Promise.all([this.get(articleId, from), this.get(articleId, to)]);
    const pins = [...older.related, ...newer.related].filter((r) => r.pinned).map((r) => r.id);
    const mediaIds = [older.leadMediaId, newer.leadMediaId].filter((id): id is number => id !== null);
    const [sections, types, headlines, media] = await Promise.all([
      this.content.taxonomy.listSections(),
      this.content.taxonomy.listContentTypes(),
      this.repos.adminArticles.headlines([...new Set(pins)]),
      Promise.all([...new Set(mediaIds)].map((id) => this.content.media.findById(id))),
    ]);
    const fields = compareRevisions(older, newer, {
      section: (id) => sections.find((s) => s.id === id)?.name ?? `Section #${id}`,
      contentType: (id) => {
        const t = types.find((x) => x.id === id);
        return t ? t.label || t.name : `Content type #${id}`;
      },
      media: (id) => {
        const m = media.find((x) => x?.id === id);
        return m ? `${m.kind === 'video' ? 'Video' : 'Picture'}: ${m.alt || m.caption || m.key}` : `Media #${id} (deleted)`;
      },
      article: (id) => headlines.get(id) ?? `Article #${id} (deleted)`,
      bodyText: htmlToText,
    });
    return { from, to, fields };
  }

  /** Saves the content of revision `number` as a new revision (status unchanged); same 409 rule as a save. */
  async restore(actor: Principal, articleId: number, number: number, baseRevision: number): Promise<AdminArticle> {
    const old = await this.get(articleId, number);
    const content: ArticleContent = {
      headline: old.headline,
      dek: old.dek,
      bodyHtml: old.bodyHtml,
      sectionId: old.sectionId,
      contentTypeId: old.contentTypeId,
      language: old.language,
      byline: old.byline,
      source: old.source,
      place: old.place,
      leadMediaId: old.leadMediaId,
      tags: old.tags,
      related: old.related,
    };
    return this.workflow.save(actor, articleId, baseRevision, content, { action: 'restore' });
  }
}
