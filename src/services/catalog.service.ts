import type { ContentType, Section, Tag, TagKind } from '../domain/article.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import type { TaxonomyRepository } from '../db/repositories/taxonomy.repository.js';

const REFERENCE_TTL_MS = 30_000;

interface Snapshot {
  at: number;
  sections: Section[];
  sectionsById: Map<number, Section>;
  sectionsBySlug: Map<string, Section>;
  contentTypes: ContentType[];
  contentTypesById: Map<number, ContentType>;
  contentTypesByName: Map<string, ContentType>;
}

/**
 * Sections and content types are read on every page but change rarely: keep them in
 * memory, refreshed after `invalidate()` (same process) or after a short TTL (others).
 */
export class CatalogService {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(
    private readonly taxonomy: TaxonomyRepository,
    /** Runs the load where the newsroom's writes are visible at once (the primary, with read replicas): the snapshot serves every request. */
    private readonly onPrimary: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ) {}

  invalidate(): void {
    this.snapshot = null;
  }

  private async load(): Promise<Snapshot> {
    const [sections, contentTypes] = await Promise.all([this.taxonomy.listSections(), this.taxonomy.listContentTypes()]);
    return {
      at: Date.now(),
      sections,
      sectionsById: new Map(sections.map((s) => [s.id, s])),
      sectionsBySlug: new Map(sections.map((s) => [s.slug, s])),
      contentTypes,
      contentTypesById: new Map(contentTypes.map((c) => [c.id, c])),
      contentTypesByName: new Map(contentTypes.map((c) => [c.name, c])),
    };
  }

  async current(): Promise<Snapshot> {
    const s = this.snapshot;
    if (s && Date.now() - s.at < REFERENCE_TTL_MS) return s;
    this.loading ??= this.onPrimary(() => this.load()).finally(() => {
      this.loading = null;
    });
    this.snapshot = await this.loading;
    return this.snapshot;
  }

  async sections(): Promise<Section[]> {
    return (await this.current()).sections;
  }

  async contentTypes(): Promise<ContentType[]> {
    return (await this.current()).contentTypes;
  }

  async sectionBySlug(slug: string): Promise<Section> {
    const s = (await this.current()).sectionsBySlug.get(slug);
    if (!s) throw new DomainError('SECTION_NOT_FOUND', text('sectionSlugNotFound', { slug }));
    return s;
  }

  async contentTypeByName(name: string): Promise<ContentType> {
    const c = (await this.current()).contentTypesByName.get(name);
    if (!c) throw new DomainError('NOT_FOUND', text('contentTypeNameNotFound', { name }));
    return c;
  }

  async findTag(slug: string): Promise<Tag | null> {
    return this.taxonomy.findTagBySlug(slug);
  }

  async tagBySlug(slug: string): Promise<Tag> {
    const t = await this.taxonomy.findTagBySlug(slug);
    if (!t) throw new DomainError('TAG_NOT_FOUND', text('tagSlugNotFound', { slug }));
    return t;
  }

  async tags(opts: { kind?: TagKind; limit: number; after?: { name: string; id: number } }): Promise<Tag[]> {
    return this.taxonomy.listTags(opts);
  }
}
