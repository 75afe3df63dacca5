import type { AdminTaxonomyRepository } from '../db/repositories/admin-taxonomy.repository.js';
import type { AdminArticleRepository } from '../db/repositories/admin-article.repository.js';
import type { TaxonomyRepository } from '../db/repositories/taxonomy.repository.js';
import type { ContentType, Section, Tag, TagKind } from '../domain/article.js';
import { DomainError } from '../domain/errors.js';
import { text, type LocalText } from '../site/i18n.js';
import type { Principal } from '../domain/roles.js';
import { slugify } from '../domain/slug.js';
import type { AuditService } from './audit.service.js';
import type { CatalogService } from './catalog.service.js';

const SLUG = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u;

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/** Newsroom management of sections, tags and content types. */
export class NewsroomTaxonomyService {
  constructor(
    private readonly admin: AdminTaxonomyRepository,
    private readonly taxonomy: TaxonomyRepository,
    private readonly articles: AdminArticleRepository,
    private readonly catalog: CatalogService,
    private readonly audit: AuditService,
  ) {}

  private async unique<T>(taken: LocalText, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError('SLUG_TAKEN', taken);
      throw err;
    }
  }

  private checkSlug(slug: string): string {
    const s = slug.trim().toLowerCase();
    if (!SLUG.test(s) || s.length > 100) throw new DomainError('VALIDATION_FAILED', text('notASlug', { slug }));
    return s;
  }

  async sections(): Promise<Section[]> {
    return this.taxonomy.listSections();
  }

  async createSection(actor: Principal, s: { slug: string; name: string; names?: Record<string, string>; position?: number }): Promise<Section> {
    const slug = this.checkSlug(s.slug);
    const name = s.name.trim();
    if (!name) throw new DomainError('VALIDATION_FAILED', text('sectionNameEmpty'));
    const id = await this.unique(text('slugTaken', { slug }), () => this.taxonomy.insertSection({ slug, name, names: s.names ?? {}, position: s.position ?? 0 }));
    this.catalog.invalidate();
    await this.audit.record(actor, 'section.create', `section:${id}`, `${name} (${slug})`);
    return (await this.taxonomy.listSections()).find((x) => x.id === id)!;
  }

  async updateSection(actor: Principal, id: number, s: { slug?: string; name?: string; names?: Record<string, string>; position?: number }): Promise<Section> {
    if (!(await this.admin.sectionExists(id))) throw new DomainError('SECTION_NOT_FOUND', text('sectionNotFound', { id: String(id) }));
    const slug = s.slug === undefined ? undefined : this.checkSlug(s.slug);
    const name = s.name?.trim();
    if (name !== undefined && !name) throw new DomainError('VALIDATION_FAILED', text('sectionNameEmpty'));
    await this.unique(text('slugTaken', { slug: slug ?? '' }), () => this.admin.updateSection(id, { ...s, slug, name }));
    this.catalog.invalidate();
    await this.audit.record(actor, 'section.update', `section:${id}`, JSON.stringify({ ...s, slug, name }));
    return (await this.taxonomy.listSections()).find((x) => x.id === id)!;
  }

  async deleteSection(actor: Principal, id: number): Promise<void> {
    if (!(await this.admin.sectionExists(id))) throw new DomainError('SECTION_NOT_FOUND', text('sectionNotFound', { id: String(id) }));
    const n = await this.articles.countInSection(id);
    if (n > 0) throw new DomainError('IN_USE', { plural: 'sectionInUse', count: n });
    await this.admin.deleteSection(id);
    this.catalog.invalidate();
    await this.audit.record(actor, 'section.delete', `section:${id}`);
  }

  async tags(opts: { kind?: TagKind; q?: string; limit: number; after?: { name: string; id: number } }): Promise<Tag[]> {
    return this.admin.listTags(opts);
  }

  async createTag(actor: Principal, t: { name: string; kind: TagKind; language?: string }): Promise<Tag> {
    const name = t.name.trim();
    if (!name || name.length > 200) throw new DomainError('VALIDATION_FAILED', text('tagNameLength'));
    const slug = slugify(name);
    const id = await this.unique(text('tagTaken', { name }), () => this.admin.insertTag({ slug, name, kind: t.kind, language: t.language ?? 'en' }));
    await this.audit.record(actor, 'tag.create', `tag:${id}`, `${name} (${t.kind})`);
    return (await this.admin.findTag(id))!;
  }

  async updateTag(actor: Principal, id: number, t: { name?: string; kind?: TagKind }): Promise<Tag> {
    if (!(await this.admin.findTag(id))) throw new DomainError('TAG_NOT_FOUND', text('tagNotFound', { id: String(id) }));
    const name = t.name?.trim();
    if (name !== undefined && (!name || name.length > 200)) throw new DomainError('VALIDATION_FAILED', text('tagNameLength'));
    await this.unique(text('tagTaken', { name: name ?? '' }), () => this.admin.updateTag(id, { name, kind: t.kind, slug: name === undefined ? undefined : slugify(name) }));
    await this.audit.record(actor, 'tag.update', `tag:${id}`, JSON.stringify(t));
    return (await this.admin.findTag(id))!;
  }

  async deleteTag(actor: Principal, id: number): Promise<void> {
    const tag = await this.admin.findTag(id);
    if (!tag) throw new DomainError('TAG_NOT_FOUND', text('tagNotFound', { id: String(id) }));
    await this.admin.deleteTag(id);
    await this.audit.record(actor, 'tag.delete', `tag:${id}`, tag.name);
  }

  async contentTypes(): Promise<ContentType[]> {
    return this.taxonomy.listContentTypes();
  }

  async createContentType(actor: Principal, c: { id?: number; name: string; label: string }): Promise<ContentType> {
    const name = this.checkSlug(c.name);
    const label = c.label.trim();
    if (!label) throw new DomainError('VALIDATION_FAILED', text('labelEmpty'));
    const id = c.id ?? (await this.admin.nextContentTypeId());
    await this.unique(text('contentTypeTaken', { id: String(id), name }), () => this.admin.insertContentType({ id, name, label }));
    this.catalog.invalidate();
    await this.audit.record(actor, 'content-type.create', `content-type:${id}`, `${name} (${label})`);
    return { id, name, label };
  }

  async updateContentType(actor: Principal, id: number, c: { name?: string; label?: string }): Promise<ContentType> {
    if (!(await this.admin.findContentType(id))) throw new DomainError('CONTENT_TYPE_NOT_FOUND', text('contentTypeNotFound', { id: String(id) }));
    const name = c.name === undefined ? undefined : this.checkSlug(c.name);
    const label = c.label?.trim();
    if (label !== undefined && !label) throw new DomainError('VALIDATION_FAILED', text('labelEmpty'));
    await this.unique(text('nameTaken', { name: name ?? '' }), () => this.admin.updateContentType(id, { name, label }));
    this.catalog.invalidate();
    await this.audit.record(actor, 'content-type.update', `content-type:${id}`, JSON.stringify({ name, label }));
    return (await this.admin.findContentType(id))!;
  }
}
