import type { Transaction } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { ArticleRepository } from '../../db/repositories/article.repository.js';
import type { FrontRepository, FrontState } from '../../db/repositories/front.repository.js';
import type { Database } from '../../db/schema.js';
import type { ArticleSummary, Section, Tag } from '../../domain/article.js';
import { DomainError } from '../../domain/errors.js';
import { localText, text, type LocalText, type TextValue } from '../../site/i18n.js';
import {
  activeArrangement,
  allPlacements,
  arrangementProblems,
  AUTO_LEAD_LOOKBACK,
  defaultBlocks,
  fillBlocks,
  fillFront,
  FRONT_TOP_SLOTS,
  HOME_FRONT,
  restorableArrangement,
  storiesBefore,
  type FilledFront,
  type FrontArrangement,
  type FrontBlock,
} from '../../domain/front.js';
import type { Principal } from '../../domain/roles.js';
import type { AuditService } from '../audit.service.js';
import type { CatalogService } from '../catalog.service.js';
import type { Clock } from '../clock.js';
import type { ContentCache } from '../content-cache.js';
import { FrontHistory, type FrontRevisionView } from './front-history.js';

/** A block as readers see it: its section or topic (for the heading and link) and stories. */
export interface PublicBlock {
  kind: FrontBlock['kind'];
  /** The editor's title; null shows the section's or topic's name. */
  title: string | null;
  section: Section | null;
  tag: Tag | null;
  articles: ArticleSummary[];
  /** How many of `articles` an editor placed by hand. */
  placed: number;
}

/** A front as readers see it: its section (null for home), filled slots and blocks. */
export interface PublicFront extends FilledFront {
  name: string;
  section: Section | null;
  revision: number;
  /** Every block, in order, including those with no story to show right now. */
  blocks: PublicBlock[];
}

/** The home page: the home front (with its blocks) and the newest stories not on its lead, top or hand-picked blocks. */
export interface HomeFrontView {
  front: PublicFront;
  latest: ArticleSummary[];
}

/** A placement as the newsroom sees it: with the story's headline and state. */
export interface PlacementView {
  articleId: number;
  expiresAt: number | null;
  article: ArticleSummary | null;
}

/** A block as the newsroom sees it: its source's name and, for hand-picked blocks, placements. */
export interface BlockView {
  kind: FrontBlock['kind'];
  title: string | null;
  sectionId: number | null;
  tagId: number | null;
  count: number | null;
  /** The section or topic the block shows (null: hand-picked, or since deleted). */
  source: { name: string; slug: string } | null;
  items: PlacementView[];
}

export interface FrontEditorView {
  name: string;
  label: string;
  revision: number;
  updatedAt: number | null;
  updatedBy: string | null;
  lead: PlacementView | null;
  top: PlacementView[];
  /** null: never arranged, `automaticBlocks` show. */
  blocks: BlockView[] | null;
  automaticBlocks: BlockView[];
}

export interface SaveFrontInput {
  /** The revision the editor started from (0 for a front never saved). */
  revision: number;
  lead: FrontArrangement['lead'];
  top: FrontArrangement['top'];
  /** Omitted: keep the saved blocks. */
  blocks?: FrontArrangement['blocks'];
}

/** A front's name in messages: the section's name, or "Home" in the editor's language. */
const frontLabel = (front: { name: string; label: string }): TextValue => (front.name === HOME_FRONT ? { term: 'front.home' } : front.label);

/** Front pages: editors arrange them (revisioned, audited); readers get them filled from the newest. */
export class FrontService {
  private readonly history: FrontHistory;

  constructor(
    private readonly engine: Engine,
    private readonly fronts: FrontRepository,
    private readonly articles: ArticleRepository,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
    private readonly cache: ContentCache,
    private readonly clock: Clock,
  ) {
    this.history = new FrontHistory(fronts, catalog);
  }

  /** `home` or a section's slug; FRONT_NOT_FOUND otherwise. */
  async resolve(name: string): Promise<{ name: string; section: Section | null; label: string }> {
    if (name === HOME_FRONT) return { name, section: null, label: 'Home' };
    const section = (await this.catalog.current()).sectionsBySlug.get(name);
    if (!section) throw new DomainError('NOT_FOUND', text('frontUnknown', { name }));
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
    const sections = await this.catalog.current();
    const automatic = defaultBlocks(state.name, sections.sections.map((s) => s.id));
    const allBlocks = [...(a.blocks ?? []), ...automatic];
    const [summaries, tags] = await Promise.all([
      this.fronts.summaries(allPlacements(a).map((p) => p.articleId)),
      this.fronts.tags(allBlocks.flatMap((b) => (b.kind === 'tag' ? [b.tagId] : []))),
    ]);
    const view = (p: { articleId: number; expiresAt: number | null }): PlacementView => ({ ...p, article: summaries.get(p.articleId) ?? null });
    const blockView = (b: FrontBlock): BlockView => {
      const source = b.kind === 'section' ? sections.sectionsById.get(b.sectionId) : b.kind === 'tag' ? tags.get(b.tagId) : undefined;
      return {
        kind: b.kind,
        title: b.title,
        sectionId: b.kind === 'section' ? b.sectionId : null,
        tagId: b.kind === 'tag' ? b.tagId : null,
        count: b.kind === 'curated' ? null : b.count,
        source: source ? { name: source.name, slug: source.slug } : null,
        items: b.kind === 'curated' ? b.items.map(view) : [],
      };
    };
    return {
      name: state.name,
      label,
      revision: state.revision,
      updatedAt: state.updatedAt,
      updatedBy: state.updatedBy,
      lead: a.lead ? view(a.lead) : null,
      top: a.top.map(view),
      blocks: a.blocks ? a.blocks.map(blockView) : null,
      automaticBlocks: automatic.map(blockView),
    };
  }

  private readonly savedListeners: ((name: string) => Promise<void>)[] = [];

  /** Told after a front is saved (the page cache purges the pages that show it). */
  onSaved(listener: (name: string) => Promise<void>): void {
    this.savedListeners.push(listener);
  }

  private requireEditor(principal: Principal): void {
    if (principal.grants['articles.publish'] !== 'all') {
      throw new DomainError('FORBIDDEN', text('frontEditorsOnly'));
    }
  }

  /**
   * Saves an arrangement. Editors and owners only (publishing rights on every story);
   * 409 when someone saved the front since `input.revision`; 422 with an editor's
   * message for duplicates, unknown stories, sections or topics, or past expiries.
   */
  async save(principal: Principal, name: string, input: SaveFrontInput): Promise<FrontEditorView> {
    this.requireEditor(principal);
    const front = await this.resolve(name);
    const blocks = input.blocks !== undefined ? input.blocks : (await this.fronts.find(front.name)).arrangement.blocks;
    const arrangement: FrontArrangement = { lead: input.lead, top: input.top, blocks };
    const problems = [...arrangementProblems(arrangement, this.clock()), ...(await this.referenceProblems(arrangement))];
    if (problems.length) throw new DomainError('VALIDATION_FAILED', text('list', { items: problems }), { problems: problems.map((p) => localText('en', p)) });
    return this.persist(principal, front, arrangement, input.revision, 'front.save', {});
  }

  /** Problems with what an arrangement names: stories, sections and topics that must exist (and stories not killed). */
  private async referenceProblems(a: FrontArrangement): Promise<LocalText[]> {
    const problems: LocalText[] = [];
    const ids = allPlacements(a).map((p) => p.articleId);
    const blocks = a.blocks ?? [];
    const [known, tags, snapshot] = await Promise.all([
      this.fronts.summaries(ids),
      this.fronts.tags(blocks.flatMap((b) => (b.kind === 'tag' ? [b.tagId] : []))),
      this.catalog.current(),
    ]);
    for (const id of ids) if (!known.has(id)) problems.push(text('frontStoryMissing', { id: String(id) }));
    for (const [id, art] of known) {
      if (art.status === 'killed') problems.push(text('frontStoryKilled', { headline: art.headline, id: String(id) }));
    }
    blocks.forEach((b, i) => {
      if (b.kind === 'section' && !snapshot.sectionsById.has(b.sectionId)) problems.push(text('frontBlockSectionGone', { n: i + 1, id: String(b.sectionId) }));
      if (b.kind === 'tag' && !tags.has(b.tagId)) problems.push(text('frontBlockTopicGone', { n: i + 1, id: String(b.tagId) }));
    });
    return problems;
  }

  private async persist(
    principal: Principal,
    front: { name: string; label: string },
    arrangement: FrontArrangement,
    expected: number,
    action: 'front.save' | 'front.restore',
    extra: Record<string, unknown>,
  ): Promise<FrontEditorView> {
    const now = this.clock();
    await this.fronts.transaction(async (trx) => {
      const current = await this.fronts.lockRevision(front.name, trx, this.engine);
      if (current !== expected) {
        throw new DomainError('REVISION_CONFLICT', text('frontConflict', { front: frontLabel(front), current: String(current), expected: String(expected) }), {
          currentRevision: current,
        });
      }
      await this.fronts.save(front.name, current + 1, arrangement, { userId: principal.userId, name: principal.name }, now, trx);
      const detail = JSON.stringify({
        revision: current + 1,
        ...extra,
        lead: arrangement.lead?.articleId ?? null,
        top: arrangement.top.map((p) => p.articleId),
        blocks: arrangement.blocks === null ? 'automatic' : arrangement.blocks.map((b) => (b.kind === 'curated' ? { curated: b.title, items: b.items.map((p) => p.articleId) } : b.kind === 'section' ? { section: b.sectionId } : { tag: b.tagId })),
      });
      await this.audit.record(principal, action, `front:${front.name}`, detail, trx as unknown as Transaction<Database>);
    });
    for (const listener of this.savedListeners) await listener(front.name).catch(() => undefined);
    return this.editorView(front.name);
  }

  /** Saved arrangements, newest first, each with what it changed in words. */
  async revisions(name: string, limit = 50): Promise<FrontRevisionView[]> {
    const front = await this.resolve(name);
    return this.history.list(front.name, limit);
  }

  /**
   * Saves an earlier revision again as the newest. Placements that expired since, stories
   * deleted or killed since, and blocks whose section or topic is gone are left out
   * (`leftOut` says which, in words).
   */
  async restore(principal: Principal, name: string, fromRevision: number, expected: number): Promise<FrontEditorView & { leftOut: string[] }> {
    this.requireEditor(principal);
    const front = await this.resolve(name);
    const row = await this.fronts.revision(front.name, fromRevision);
    if (!row) throw new DomainError('NOT_FOUND', text('frontNoRevision', { front: frontLabel(front), revision: String(fromRevision) }));
    const old = row.arrangement;
    const [known, tags, snapshot] = await Promise.all([
      this.fronts.summaries(allPlacements(old).map((p) => p.articleId)),
      this.fronts.tags((old.blocks ?? []).flatMap((b) => (b.kind === 'tag' ? [b.tagId] : []))),
      this.catalog.current(),
    ]);
    const { arrangement, leftOut } = restorableArrangement(old, this.clock(), {
      story: (id) => known.get(id),
      sectionExists: (id) => snapshot.sectionsById.has(id),
      tagExists: (id) => tags.has(id),
    });
    const view = await this.persist(principal, front, arrangement, expected, 'front.restore', { restoredFrom: fromRevision, leftOut: leftOut.length });
    return { ...view, leftOut };
  }

  /** A front as readers see it on this request (placements visible and unexpired, the rest filled). */
  async publicFront(name: string): Promise<PublicFront> {
    const front = await this.resolve(name);
    return this.cache.get(`front:${front.name}`, () => this.loadFront(front.name, front.section));
  }

  private async loadFront(name: string, section: Section | null): Promise<PublicFront> {
    const now = this.clock();
    const [state, snapshot] = await Promise.all([this.fronts.find(name), this.catalog.current()]);
    const active = activeArrangement(state.arrangement, now);
    // Blocks whose section or topic was deleted are skipped.
    const blocks = (active.blocks ?? defaultBlocks(name, snapshot.sections.map((s) => s.id))).filter((b) => b.kind !== 'section' || snapshot.sectionsById.has(b.sectionId));
    const curatedIds = blocks.flatMap((b) => (b.kind === 'curated' ? b.items.map((p) => p.articleId) : []));
    const ids = [...(active.lead ? [active.lead.articleId] : []), ...active.top.map((p) => p.articleId), ...curatedIds];
    const [visible, candidates, tags] = await Promise.all([
      this.fronts.visibleSummaries(ids, now),
      this.articles.listVisible(section ? { sectionId: section.id } : {}, { limit: AUTO_LEAD_LOOKBACK }, now),
      this.fronts.tags(blocks.flatMap((b) => (b.kind === 'tag' ? [b.tagId] : []))),
    ]);
    const reserved = new Set(curatedIds.filter((id) => visible.has(id)));
    const filled = fillFront(active, visible, candidates, FRONT_TOP_SLOTS, reserved);
    const shownAbove = [...(filled.lead ? [filled.lead.id] : []), ...filled.top.map((a) => a.id)];
    const usable = blocks.filter((b) => b.kind !== 'tag' || tags.has(b.tagId));
    const blockCandidates = await Promise.all(
      usable.map((b, i) =>
        b.kind === 'curated'
          ? Promise.resolve([])
          : this.articles.listVisible(
              { ...(b.kind === 'section' ? { sectionId: b.sectionId } : { tagId: b.tagId }), excludeIds: shownAbove },
              { limit: b.count + storiesBefore(usable, i) + reserved.size },
              now,
            ),
      ),
    );
    const filledBlocks = fillBlocks(usable, shownAbove, visible, (i) => blockCandidates[i] ?? [], reserved);
    return {
      name,
      section,
      revision: state.revision,
      ...filled,
      blocks: filledBlocks.map(({ block, articles, placed }) => ({
        kind: block.kind,
        title: block.title,
        section: block.kind === 'section' ? (snapshot.sectionsById.get(block.sectionId) ?? null) : null,
        tag: block.kind === 'tag' ? (tags.get(block.tagId) ?? null) : null,
        articles,
        placed,
      })),
    };
  }

  /** The home page's data. */
  async home(latestCount = 12): Promise<HomeFrontView> {
    const front = await this.publicFront(HOME_FRONT);
    return this.cache.get(`home-front:${latestCount}`, async () => {
      // Latest is the newest stories; only hand-picked blocks are left out of it (section and
      // topic blocks show the newest too, so they overlap with it by nature).
      const shown = [...(front.lead ? [front.lead.id] : []), ...front.top.map((a) => a.id), ...front.blocks.flatMap((b) => (b.kind === 'curated' ? b.articles.map((a) => a.id) : []))];
      const latest = await this.articles.listVisible({ excludeIds: shown }, { limit: latestCount }, this.clock());
      return { front, latest };
    });
  }
}

/** Every story a front shows (lead, top, blocks), in page order. */
export function frontArticles(front: PublicFront): ArticleSummary[] {
  return [...(front.lead ? [front.lead] : []), ...front.top, ...front.blocks.flatMap((b) => b.articles)];
}
