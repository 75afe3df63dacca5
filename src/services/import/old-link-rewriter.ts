import type { Transaction } from 'kysely';
import { articlePath } from '../../domain/article.js';
import type { ImportDraft } from '../../domain/import-draft.js';
import { hostsOf, keyVariants, oldLinkKeys, rewriteOldLinks } from '../../domain/old-links.js';
import type { ImportRepository } from '../../db/repositories/import.repository.js';
import type { Database } from '../../db/schema.js';
import { htmlToText } from '../html-sanitizer.js';

/**
 * Links in imported bodies to the old site, pointed at the imported articles: at once
 * when the target is in, else remembered (`import_links`) and rewritten by the batch
 * that imports the target, so the order of arrival does not matter.
 */
export class OldLinkRewriter {
  /** Hosts of the old site: the configured ones plus those drafts name (a WXR's site URL). */
  private readonly hosts: Set<string>;

  constructor(
    private readonly imports: ImportRepository,
    legacyOrigins: readonly string[],
  ) {
    this.hosts = hostsOf(legacyOrigins);
  }

  addOrigins(origins: readonly string[]): void {
    for (const host of hostsOf(origins)) this.hosts.add(host);
  }

  /** The body with old-site links to imported articles rewritten, and the links still waiting. */
  async rewrite(html: string, trx: Transaction<Database>): Promise<{ html: string; pending: string[] }> {
    const keys = oldLinkKeys(html, this.hosts);
    if (!keys.length) return { html, pending: [] };
    const found = await this.imports.resolveOldLinks(keys, keyVariants, trx);
    return rewriteOldLinks(html, this.hosts, new Map([...found].map(([key, a]) => [key, articlePath(a)])));
  }

  /** Articles imported earlier whose links wait for one of these drafts: rewritten now that it has arrived. */
  async rewriteWaiting(written: ImportDraft[], trx: Transaction<Database>): Promise<void> {
    const answers = new Set<string>();
    for (const d of written) {
      if (d.kind === 'legacy' && d.id !== undefined) answers.add(`/news/${d.id}`);
      for (const path of d.redirects ?? []) for (const v of keyVariants(path)) answers.add(v);
    }
    if (!answers.size) return;
    for (const articleId of await this.imports.articlesWaitingFor([...answers], trx)) {
      const body = await this.imports.articleBody(articleId, trx);
      if (body === null) continue;
      const { html, pending } = await this.rewrite(body, trx);
      if (html !== body) await this.imports.updateBody(articleId, html, htmlToText(html), trx);
      await this.imports.savePendingLinks(articleId, pending, trx);
    }
  }
}
