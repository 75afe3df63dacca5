import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { ImportItemReport } from '../../src/domain/import-draft.js';
import type { ImportSourceOptions, SourceItem } from '../../src/services/import/import-sources.js';
import { slugify } from '../../src/domain/slug.js';
import { wxrSource } from '../../src/services/import/wxr.parser.js';
import { readWxr } from '../../src/services/import/wxr-reader.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { importSnapshot } from '../helpers/import-snapshot.js';

const DIR = new URL('../../../shared/refs/wxr/', import.meta.url).pathname;
const FILES = ['wordpress-importer.small-export.xml', 'wordpress-importer.theme-unit-test-data.xml', 'wordpress-importer.wxr-utf-8-challenges.xml', 'tryghost-migrate.sample.xml'];
const OPTIONS: ImportSourceOptions = { timeZone: 'UTC', datelineFormat: 'ddd MMM D, YYYY HH:mm:ss', language: 'en', contentTypeId: 21, section: { slug: 'archive', name: 'Archive' } };
const present = FILES.every((f) => existsSync(DIR + f));

/** Posts an export holds that are not in the bin (what must arrive). */
async function expectedPosts(file: string) {
  const posts = [];
  for await (const e of readWxr(DIR + file)) if (e.type === 'item' && e.item.postType === 'post' && !['trash', 'auto-draft'].includes(e.item.status)) posts.push(e.item);
  return posts;
}

for (const engine of DIALECTS) {
  describe(`WordPress WXR import on ${engine}`, { skip: !present && 'shared/refs/wxr is missing' }, () => {
    let t: TestApp;
    const reports: ImportItemReport[] = [];
    before(async () => {
      t = await createTestApp(engine);
      for (const file of FILES) {
        const source = await wxrSource([DIR + file], OPTIONS);
        const summary = await t.services.imports.run(source.items, { catalog: source.catalog!, onItem: (r) => reports.push(r), batchSize: 25 });
        assert.equal(summary.failed, 0, JSON.stringify(reports.filter((r) => r.action === 'failed')));
      }
      t.services.contentCache.clear();
    });
    after(() => t.cleanup());

    test('every post of every export arrives once, with its status, date, slug and author', async () => {
      let total = 0;
      for (const file of FILES) total += (await expectedPosts(file)).length;
      assert.equal(await t.services.repos.articles.countAll(), total);
      const posts = await expectedPosts('wordpress-importer.small-export.xml');
      const hello = await t.handle.db.selectFrom('articles').selectAll().where('headline', '=', 'Hello world!').executeTakeFirstOrThrow();
      assert.equal(hello.slug, 'hello-world');
      assert.equal(hello.status, 'published');
      assert.equal(hello.published_at, Date.parse('2011-01-18T07:40:14Z'));
      assert.equal(hello.body_html, '<p>Welcome to WordPress. This is your first post. Edit or delete it, then start blogging!</p>');
      assert.ok(posts.length >= 6);
      const author = await t.handle.db.selectFrom('users').selectAll().where('id', '=', hello.author_id!).executeTakeFirstOrThrow();
      assert.equal(author.email, 'author@example.org');
      assert.equal(author.password_hash, null, 'imported authors have no password until invited');
      const draft = await t.handle.db.selectFrom('articles').select('status').where('headline', '=', 'Draft Post').executeTakeFirstOrThrow();
      assert.equal(draft.status, 'draft');
    });

    test('every author, category, tag, image attachment and post permalink of every export arrives', async () => {
      const db = t.handle.db;
      const emails = new Set((await db.selectFrom('users').select('email').execute()).map((u) => u.email));
      const sections = new Set((await db.selectFrom('sections').select('slug').execute()).map((r) => r.slug));
      // Tags are one per slug: "Tag1" of one export and "tag1" of another are the same topic.
      const tags = new Set((await db.selectFrom('tags').select('slug').execute()).map((r) => r.slug));
      const media = new Set((await db.selectFrom('media').select('storage_key').execute()).map((r) => r.storage_key));
      const redirects = new Set((await db.selectFrom('redirects').select('path').execute()).map((r) => r.path));
      let counted = { authors: 0, categories: 0, tags: 0, attachments: 0, posts: 0 };
      for (const file of FILES) {
        for await (const e of readWxr(DIR + file)) {
          if (e.type === 'author') {
            counted.authors++;
            assert.ok(emails.has(e.author.email.toLowerCase()) || [...emails].some((m) => m.startsWith(`${e.author.login}@`)), `author ${e.author.login} of ${file}`);
          } else if (e.type === 'term' && e.taxonomy === 'category') {
            counted.categories++;
            assert.ok(sections.has(slugify(e.slug)), `category ${e.slug} of ${file}`);
          } else if (e.type === 'term' && e.taxonomy === 'post_tag') {
            counted.tags++;
            assert.ok(tags.has(slugify(e.name)), `tag ${e.name} of ${file}`);
          } else if (e.type === 'item' && e.item.postType === 'attachment' && !/\.(mp3|pdf|zip|docx?)$/i.test(e.item.attachmentUrl)) {
            // Media are images and videos; audio and documents have no media kind to become.
            counted.attachments++;
            assert.ok(media.has(decodeURIComponent(new URL(e.item.attachmentUrl).pathname).slice(1)), `attachment ${e.item.attachmentUrl} of ${file}`);
          } else if (e.type === 'item' && e.item.postType === 'post' && !['trash', 'auto-draft'].includes(e.item.status)) {
            counted.posts++;
            if (!URL.canParse(e.item.link)) continue;
            const path = new URL(e.item.link).pathname + new URL(e.item.link).search;
            if (path !== '/') assert.ok(redirects.has(path), `permalink ${path} of ${file}`);
          }
        }
      }
      counted = { ...counted };
      assert.ok(counted.authors >= 8 && counted.categories >= 100 && counted.tags >= 100 && counted.attachments >= 30 && counted.posts >= 60, JSON.stringify(counted));
    });

    test('categories become sections and tags become topics', async () => {
      const sections = await t.handle.db.selectFrom('sections').select('slug').execute();
      assert.ok(sections.some((s) => s.slug === 'uncategorized'));
      const tagged = await t.handle.db.selectFrom('article_tags').select('tag_id').execute();
      assert.ok(tagged.length > 50);
    });

    test('featured images keep their old paths', async () => {
      const withLead = await t.handle.db
        .selectFrom('articles')
        .innerJoin('media', 'media.id', 'articles.lead_media_id')
        .select(['articles.headline', 'media.storage_key'])
        .execute();
      assert.ok(withLead.length >= 1);
      // An image CDN's URL without an extension (the Ghost sample) keeps its path too; its type comes from the attachment's slug.
      for (const row of withLead) assert.match(row.storage_key, /^\d{4}\/\d{2}\/[^/]+\.(jpe?g|png|gif)$|uploads\/|^photo-[0-9a-f-]+$/);
    });

    test('hostile Unicode survives in headline, body and slug; bidi overrides leave the headline', async () => {
      const row = await t.handle.db.selectFrom('articles').selectAll().where('headline', 'like', '%Road%Taken%').executeTakeFirstOrThrow();
      assert.ok(!/[\u202A-\u202E]/.test(row.headline));
      assert.match(row.headline, /🌲/);
      assert.match(row.body_html, /T̷̢̯̭̈w̴̰̜̾o̷͉̅/u);
      const res = await t.app.inject({ url: `/news/${row.id}/${encodeURIComponent(row.slug)}` });
      assert.equal(res.statusCode, 200);
    });

    test('old permalinks answer 301 to the imported article', async () => {
      const redirect = await t.handle.db.selectFrom('redirects').selectAll().where('path', '=', '/?p=1').executeTakeFirstOrThrow();
      const res = await t.app.inject({ url: '/?p=1' });
      assert.equal(res.statusCode, 301);
      assert.match(res.headers.location as string, new RegExp(`^/news/${redirect.article_id}/hello-world$`));
      const pretty = await t.handle.db.selectFrom('redirects').select(['path', 'article_id']).where('path', 'like', '/%/').where('path', 'not like', '/?%').executeTakeFirstOrThrow();
      const moved = await t.app.inject({ url: pretty.path });
      assert.equal(moved.statusCode, 301, pretty.path);
      assert.match(moved.headers.location as string, new RegExp(`^/news/${pretty.article_id}/`));
    });

    test('a crash halfway and a re-run give exactly the result of one clean run', async () => {
      const clean = await importSnapshot(t.handle.db);
      const crashed = await createTestApp(engine);
      try {
        for (const file of FILES) {
          const source = await wxrSource([DIR + file], OPTIONS);
          let n = 0;
          async function* dying(): AsyncIterable<SourceItem> {
            for await (const item of source.items) {
              if (++n === 30) throw new Error('killed');
              yield item;
            }
          }
          await crashed.services.imports.run(dying(), { catalog: source.catalog!, batchSize: 7 }).catch((err: Error) => assert.equal(err.message, 'killed'));
        }
        for (const file of FILES) {
          const source = await wxrSource([DIR + file], OPTIONS);
          const summary = await crashed.services.imports.run(source.items, { catalog: source.catalog!, batchSize: 7 });
          assert.equal(summary.failed, 0);
        }
        assert.deepEqual(await importSnapshot(crashed.handle.db), clean);
        const again = await crashed.services.imports.run((await wxrSource([DIR + FILES[1]!], OPTIONS)).items);
        assert.equal(again.created + again.updated, 0, 'a third run changes nothing');
      } finally {
        await crashed.cleanup();
      }
    });
  });
}
