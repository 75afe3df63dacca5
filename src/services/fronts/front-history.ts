import type { FrontRepository } from '../../db/repositories/front.repository.js';
import { describeFrontChanges } from '../../domain/front-changes.js';
import { allPlacements, defaultBlocks, type FrontArrangement } from '../../domain/front.js';
import type { CatalogService } from '../catalog.service.js';

/** A saved arrangement with who saved it, when, and what it changed in words. */
export interface FrontRevisionView {
  revision: number;
  createdAt: number;
  actorName: string;
  arrangement: FrontArrangement;
  changes: string[];
}

/** A front's revisions, described against the one before each. */
export class FrontHistory {
  constructor(
    private readonly fronts: FrontRepository,
    private readonly catalog: CatalogService,
  ) {}

  async list(name: string, limit: number): Promise<FrontRevisionView[]> {
    // One more than shown, so the oldest shown can be compared with its predecessor.
    const rows = await this.fronts.revisions(name, limit + 1);
    const ids = [...new Set(rows.flatMap((r) => allPlacements(r.arrangement).map((p) => p.articleId)))];
    const tagIds = [...new Set(rows.flatMap((r) => (r.arrangement.blocks ?? []).flatMap((b) => (b.kind === 'tag' ? [b.tagId] : []))))];
    const [summaries, tags, snapshot] = await Promise.all([this.fronts.summaries(ids), this.fronts.tags(tagIds), this.catalog.current()]);
    const names = {
      headline: (id: number) => summaries.get(id)?.headline ?? `story ${id} (deleted)`,
      section: (id: number) => snapshot.sectionsById.get(id)?.name ?? `section ${id} (deleted)`,
      tag: (id: number) => tags.get(id)?.name ?? `topic ${id} (deleted)`,
    };
    // What showed before blocks were arranged (as the sections stand now).
    const automatic = defaultBlocks(name, snapshot.sections.map((s) => s.id));
    return rows.slice(0, limit).map((row, i) => {
      const previous = rows[i + 1];
      const before = previous && previous.revision === row.revision - 1 ? previous.arrangement : null;
      return { ...row, changes: describeFrontChanges(before, row.arrangement, names, automatic) };
    });
  }
}
