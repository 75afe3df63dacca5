import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImportDraft } from '../../src/domain/import-draft.js';
import { oldLinkKey, rewriteOldLinks, hostsOf } from '../../src/domain/old-links.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';

/** Issue 13 item 3: links to the old site point at the imported articles, whichever arrives first. */
async function* of(...drafts: ImportDraft[]) {
  yield* drafts;
}

const legacy = (id: number, headline: string, bodyHtml: string): ImportDraft => ({ sourceKey: `legacy:${id}`, kind: 'legacy', id, language: 'en', status: 'published', headline, bodyHtml, publishedAt: Date.parse('2013-06-01T08:00:00Z'), repairs: [] });
const wxr = (postId: number, headline: string, bodyHtml: string, permalink: string): ImportDraft => ({
  sourceKey: `wxr:http://blog.example:${postId}`, kind: 'wxr', language: 'en', status: 'published', headline, bodyHtml, redirects: [permalink, `/?p=${postId}`], linkOrigins: ['http://blog.example', 'https://blog.example'], repairs: [],
});

describe('old-site link keys', () => {
  const hosts = hostsOf(['https://old.example']);
  it('names legacy article URLs by id and other pages by path and query; other sites are not old', () => {
    assert.equal(oldLinkKey('http://old.example/news/1479894/groups-of-militants?x=1#top', hosts), '/news/1479894');
    assert.equal(oldLinkKey('https://old.example/2008/09/hello/?amp=1', hosts), '/2008/09/hello/?amp=1');
    assert.equal(oldLinkKey('https://elsewhere.example/news/1', hosts), null);
    assert.equal(oldLinkKey('/news/1', hosts), null);
    assert.equal(oldLinkKey('mailto:desk@old.example', hosts), null);
  });
  it('keeps the fragment and leaves unresolved links as they are', () => {
    const html = '<p><a href="https://old.example/news/5/a#p2">five</a> <a href="https://old.example/news/6">six</a></p>';
    const out = rewriteOldLinks(html, hosts, new Map([['/news/5', '/news/5/new-slug']]));
    assert.equal(out.html, '<p><a href="/news/5/new-slug#p2">five</a> <a href="https://old.example/news/6">six</a></p>');
    assert.deepEqual(out.pending, ['/news/6']);
  });
});

for (const engine of DIALECTS) {
  describe(`old-site links in imported bodies (${engine})`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(engine, { wire: { legacyOrigins: ['https://old.example'] } });
    });
    after(async () => t?.cleanup());
    const body = async (id: number) => (await t.handle.db.selectFrom('articles').select(['body_html', 'body_text']).where('id', '=', id).executeTakeFirstOrThrow()).body_html;
    const waiting = async () => t.handle.db.selectFrom('import_links').selectAll().orderBy('article_id').orderBy('target_path').execute();

    it('target first: the link is rewritten as the linking page is imported', async () => {
      await t.services.imports.run(of(legacy(2001, 'Siege of the border town', '<p>The town fell.</p>')));
      await t.services.imports.run(of(legacy(2002, 'Aftermath in the town', '<p>See <a href="http://old.example/news/2001/siege-of-the-border-town">the siege</a> and <a href="https://elsewhere.example/news/2001">elsewhere</a>.</p>')));
      const html = await body(2002);
      assert.match(html, /href="\/news\/2001\/siege-of-the-border-town"/);
      assert.match(html, /href="https:\/\/elsewhere\.example\/news\/2001"/, 'links to other sites stay');
      assert.deepEqual(await waiting(), []);
    });

    it('linking page first: the link waits, and is rewritten when its target arrives (and the re-run stays idempotent)', async () => {
      const linking = legacy(3001, 'Talks collapse', '<p>After <a href="https://old.example/news/3002/x#para">the first round</a>, <a href="https://old.example/news/9999">never imported</a>.</p>');
      const first = await t.services.imports.run(of(linking));
      assert.equal(first.created, 1);
      assert.match(await body(3001), /href="https:\/\/old\.example\/news\/3002\/x#para"/);
      assert.deepEqual((await waiting()).map((w) => w.target_path), ['/news/3002', '/news/9999']);
      await t.services.imports.run(of(legacy(3002, 'First round of talks', '<p>Delegates met.</p>')));
      const html = await body(3001);
      assert.match(html, /href="\/news\/3002\/first-round-of-talks#para"/);
      assert.match(html, /href="https:\/\/old\.example\/news\/9999"/);
      assert.deepEqual((await waiting()).map((w) => w.target_path), ['/news/9999']);
      const text = (await t.handle.db.selectFrom('import_items').select('indexed').where('source_key', '=', 'legacy:3001').executeTakeFirstOrThrow()).indexed;
      assert.equal(text, 1, 'the rewritten article was indexed again after the batch');
      const again = await t.services.imports.run(of(linking, legacy(3002, 'First round of talks', '<p>Delegates met.</p>')));
      assert.equal(again.skipped, 2);
      assert.match(await body(3001), /href="\/news\/3002\/first-round-of-talks#para"/, 'a skipped re-run keeps the rewritten link');
    });

    it('WordPress permalinks: both orders, with or without the trailing slash, and ?p= links', async () => {
      await t.services.imports.run(of(wxr(11, 'Linking post', '<p><a href="http://blog.example/2008/09/target-post">target</a> <a href="https://blog.example/?p=13">later</a></p>', '/2008/09/linking-post/')));
      await t.services.imports.run(of(wxr(12, 'Target post', '<p>Here.</p>', '/2008/09/target-post/'), wxr(13, 'Later post', '<p>Later.</p>', '/2008/10/later-post/')));
      const linking = (await t.handle.db.selectFrom('redirects').select('article_id').where('path', '=', '/2008/09/linking-post/').executeTakeFirstOrThrow()).article_id;
      const html = await body(linking);
      assert.match(html, /<a href="\/news\/\d+\/target-post"[^>]*>target<\/a>/);
      assert.match(html, /<a href="\/news\/\d+\/later-post"[^>]*>later<\/a>/);
      assert.doesNotMatch(html, /blog\.example/);
    });
  });
}
