import type { Transaction } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { ArticleRepository } from '../../db/repositories/article.repository.js';
import type { FrontRepository, FrontState } from '../../db/repositories/front.repository.js';
import type { Database } from '../../db/schema.js';
import type { ArticleSummary, Section } from '../../domain/article.js';
import { DomainError } from '../../domain/errors.js';
import {
  activeArrangement,
  arrangementProblems,
  AUTO_LEAD_LOOKBACK,
  fillFront,
  HOME_FRONT,
  type FilledFront,
  type FrontArrangement,
} from '../../domain/front.js';
import type { Principal } from '../../domain/roles.js';
import type { AuditService } from '../audit.service.js';
import type { CatalogService } from '../catalog.service.js';
import type { Clock } from '../clock.js';
import type { ContentCache } from '../content-cache.js';

/** A front as readers see it: its section (null for home) and filled slots. */
export interface PublicFront extends FilledFront {
  name: string;
  section: Section | null;
  revision: number;
}

/** The home page: the home front, the newest stories not on it, a block per section. */
export interface HomeFrontView {
  front: PublicFront;
  latest: ArticleSummary[];
  sections: { section: Section; articles: ArticleSummary[] }[];
}

/** A placement as the newsroom sees it: with the story's headline and state. */
export interface PlacementView {
  articleId: number;
  expiresAt: number | null;
  article: ArticleSummary | null;
}

export interface FrontEditorView {
  name: string;
  label: string;
  revision: number;
  updatedAt: number | null;
  updatedBy: string | null;
  lead: PlacementView | null;
  top: PlacementView[];
}

export interface SaveFrontInput extends FrontArrangement {
  /** The revision the editor started from (0 for a front never saved). */
  revision: number;
}

/** Front pages: editors arrange them (revisioned, audited); readers get them filled from the newest. */
export class FrontService {
  constructor(
    private readonly engine: Engine,
    private readonly fronts: FrontRepository,
    private readonly articles: ArticleRepository,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
    private readonly cache: ContentCache,
    private readonly clock: Clock,
  ) {}

  /** `home` or a section's slug; FRONT_NOT_FOUND otherwise. */
  async resolve(name: string): Promise<{ name: string; section: Section | null; label: string }> {
    if (name === HOME_FRONT) return { name, section: null, label: 'Home' };
    const section = (await this.catalog.current()).sectionsBySlug.get(name);
    if (!section) throw new DomainError('NOT_FOUND', `There is no front named "${name}": use "home" or a section's slug.`);
    return { name, section, label: section.name };
  }

  /** Every front editors can arrange: home, then the sections in navigation order. */
  async list(): Promise<{ name: string; label: string }[]> {
    const sections = await this.catalog.sections();
    return [{ name: HOME_FRONT, label: 'Home' }, ...sections.map((s) => ({ name: s.slug, label: s.name }))];
  }

  async editorView(name: string): Promise<FrontEditorView> {
    const front = await this.resolve(name);
    return this.toEditorView(front.label, await this.fronts.find(front.name));
  }

  private async toEditorView(label: string, state: FrontState): Promise<FrontEditorView> {
    const a = state.arrangement;
    const summaries = await this.fronts.summaries([...(a.lead ? [a.lead.articleId] : []), ...a.top.map((p) => p.articleId)]);
    const view = (p: { articleId: number; expiresAt: number | null }): PlacementView => ({ ...p, article: summaries.get(p.articleId) ?? null });
    return {
      name: state.name,
      label,
      revision: state.revision,
      updatedAt: state.updatedAt,
      updatedBy: state.updatedBy,
      lead: a.lead ? view(a.lead) : null,
      top: a.top.map(view),
    };
  }

  private readonly savedListeners: ((name: string) => Promise<void>)[] = [];

  /** Told after a front is saved (the page cache purges the pages that show it). */
  onSaved(listener: (name: string) => Promise<void>): void {
    this.savedListeners.push(listener);
  }

  /**
   * Saves an arrangement. Editors and owners only (publishing rights on every story);
   * 409 when someone saved the front since `input.revision`; 422 with an editor's
   * message for duplicates, unknown stories or past expiries.
   */
  async save(principal: Principal, name: string, input: SaveFrontInput): Promise<FrontEditorView> {
    if (principal.grants['articles.publish'] !== 'all') {
      throw new DomainError('FORBIDDEN', 'Only editors and owners can arrange front pages.');
    }
    const front = await this.resolve(name);
    const arrangement: FrontArrangement = { lead: input.lead, top: input.top };
    const now = this.clock();
    const problems = arrangementProblems(arrangement, now);
    const ids = [...(arrangement.lead ? [arrangement.lead.articleId] : []), ...arrangement.top.map((p) => p.articleId)];
    const known = await this.fronts.summaries(ids);
    for (const id of ids) if (!known.has(id)) problems.push(`Story ${id} does not exist; it may have been deleted.`);
    for (const [id, a] of known) {
      if (a.status === 'killed') problems.push(`"${a.headline}" (story ${id}) was killed and cannot be placed on a front.`);
    }
    if (problems.length) throw new DomainError('VALIDATION_FAILED', problems.join(' '), { problems });

    await this.fronts.transaction(async (trx) => {
      const current = await this.fronts.lockRevision(front.name, trx, this.engine);
      if (current !== input.revision) {
        throw new DomainError('REVISION_CONFLICT', `Someone saved the ${front.label} front since you opened it (revision ${current}, you had ${input.revision}). Reload it and arrange again.`, {
          currentRevision: current,
        });
      }
      await this.fronts.save(front.name, current + 1, arrangement, { userId: principal.userId, name: principal.name }, now, trx);
      const detail = JSON.stringify({ revision: current + 1, lead: arrangement.lead?.articleId ?? null, top: arrangement.top.map((p) => p.articleId) });
      await this.audit.record(principal, 'front.save', `front:${front.name}`, detail, trx as unknown as Transaction<Database>);
    });
    for (const listener of this.savedListeners) await listener(front.name).catch(() => undefined);
    return this.editorView(front.name);
  }

  /** Saved arrangements, newest first. */
  async revisions(name: string, limit = 50) {
    const front = await this.resolve(name);
    return this.fronts.revisions(front.name, limit);
  }

  /** A front as readers see it on this request (placements visible and unexpired, the rest filled). */
  async publicFront(name: string): Promise<PublicFront> {
    const front = await this.resolve(name);
    return this.cache.get(`front:${front.name}`, () => this.loadFront(front.name, front.section));
  }

  private async loadFront(name: string, section: Section | null): Promise<PublicFront> {
    const now = this.clock();
    const state = await this.fronts.find(name);
    const active = activeArrangement(state.arrangement, now);
    const ids = [...(active.lead ? [active.lead.articleId] : []), ...active.top.map((p) => p.articleId)];
    const [visible, candidates] = await Promise.all([
      this.fronts.visibleSummaries(ids, now),
      this.articles.listVisible(section ? { sectionId: section.id } : {}, { limit: AUTO_LEAD_LOOKBACK }, now),
    ]);
    return { name, section, revision: state.revision, ...fillFront(active, visible, candidates) };
  }

  /** The home page's data. */
  async home(latestCount = 12, perSection = 4): Promise<HomeFrontView> {
    const front = await this.publicFront(HOME_FRONT);
    return this.cache.get(`home-front:${latestCount}:${perSection}`, async () => {
      const now = this.clock();
      const shown = [...(front.lead ? [front.lead.id] : []), ...front.top.map((a) => a.id)];
      const sections = await this.catalog.sections();
      const [latest, blocks] = await Promise.all([
        this.articles.listVisible({ excludeIds: shown }, { limit: latestCount }, now),
        Promise.all(
          sections.map(async (s) => ({ section: s, articles: await this.articles.listVisible({ sectionId: s.id, excludeIds: shown }, { limit: perSection }, now) })),
        ),
      ]);
      return { front, latest, sections: blocks.filter((b) => b.articles.length > 0) };
    });
  }
}
