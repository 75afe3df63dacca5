import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ImportItemReport } from '../../src/domain/import-draft.js';
import { legacySource, type ImportSourceOptions } from '../../src/services/import/import-sources.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';

const REFERENCE = new URL('../../../shared/fixtures/legacy/qusayr-2013-06-01.txt', import.meta.url);
const OLD_ID = 1480012;
const HEADLINE = 'Groups of militants sent to battle in Qusayr:Sabra';
const RELATED_IDS = ['1479894', '1478753', '1479017', '1478547'];
/**
 * The page's body, read by eye: after the headline (printed twice) and the dateline come
 * ten blank-line-separated blocks, nine paragraphs of prose and the leaked
 * `string(683) "[…]"` related dump. The dump is debug output, not text: it becomes the
 * related list. So the article has these nine paragraphs, in this order, and nothing else.
 */
const PARAGRAPHS = [
  'Hundreds of foreign-backed militants have been sent to Syria’s al-Qusayr to fight against the army which already has control over major parts of the town.',
  '"Around 1,000 fighters from across Syria" have penetrated the city near the Lebanese border, head of the so-called Syrian National Council George Sabra told reporters in the Turkish city of Istanbul on Friday.',
  'Sabra did not elaborate when the militants entered the city, located about 35 kilometers (22 mile) south of Homs Province.',
  'The militants have been deployed to Qusayr after Syrian soldiers gained major advantages against the foreign-backed militants in the flashpoint city in the recent weeks.',
  'On Friday, Syrian Army forces drove back a group of militants who were attempting to enter the country from the Lebanese border through the al-Sirhaniyeh neighborhood of al-Qusayr.',
  'According to SANA news agency, Syrian government forces confronted the militants, killing a large number of them. Some of the gunmen managed to flee back into Lebanon.',
  'On Thursday, the Syrian Army made more gains in its fight against militants in Qusayr, and established their control over the towns of Brak, Jawadieh and Arjoun on the outskirts of the city.',
  'The fighting for al-Qusayr, which straddles strategic supply routes important for the militants, started on May 19 after the army surrounded the area and successfully entered the town.',
  'The command center of the al-Nusra Front has been destroyed in the battle and the army has taken control over the city center and municipality building as well as nearby al-Daba’a Airport.',
];
/** Text as the body sanitizer writes it (quotes stay as they are in text). */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const OPTIONS: ImportSourceOptions = {
  timeZone: 'Asia/Tehran',
  datelineFormat: 'ddd MMM D, YYYY HH:mm:ss',
  language: 'en',
  contentTypeId: 21,
  section: { slug: 'middle-east', name: 'Middle East' },
};

/** A related page of the archive, in the same text format, arriving in a later run. */
function relatedPage(title: string): string {
  return `${title}\n\n${title}\nFri May 31, 2013 20:48:16\n\nFirst paragraph of ${title}.\n\nSecond paragraph.\n`;
}

for (const engine of DIALECTS) {
  describe(`legacy page import on ${engine}`, () => {
    let t: TestApp;
    let dir: string;
    const run = async (paths: string[], dryRun = false) => {
      const reports: ImportItemReport[] = [];
      const source = await legacySource(paths, OPTIONS);
      const summary = await t.services.imports.run(source.items, { dryRun, onItem: (r) => reports.push(r) });
      t.services.contentCache.clear();
      return { summary, reports };
    };
    before(async () => {
      t = await createTestApp(engine, { timeZone: 'Asia/Tehran' });
      dir = mkdtempSync(join(tmpdir(), 'legacy-import-'));
      copyFileSync(REFERENCE, join(dir, `${OLD_ID}-qusayr-2013-06-01.txt`));
    });
    after(async () => {
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a dry run reports what would happen and writes nothing', async () => {
      const { summary, reports } = await run([dir], true);
      assert.equal(summary.created, 1);
      assert.equal(summary.placeholders, 4);
      assert.equal(reports[0]!.action, 'created');
      assert.ok(reports[0]!.repairs.some((r) => /removed the repeated headline/.test(r)));
      assert.ok(reports[0]!.repairs.some((r) => /debug dump \(string\(683\)\).*4 related items/.test(r)));
      assert.equal(await t.services.repos.articles.countAll(), 0);
      assert.equal((await t.app.inject({ url: `/news/${OLD_ID}` })).statusCode, 404);
    });

    test('the reference page imports under its old id with headline once, dateline, paragraphs and no debug text', async () => {
      const { summary, reports } = await run([dir]);
      assert.deepEqual({ ...summary }, { created: 1, updated: 0, skipped: 0, repaired: 1, failed: 0, placeholders: 4 });
      assert.equal(reports[0]!.articleId, OLD_ID);
      const article = await t.services.repos.articles.findById(OLD_ID);
      assert.ok(article);
      assert.equal(article.headline, HEADLINE);
      assert.equal(article.contentTypeId, 21);
      assert.equal(article.status, 'published');
      // Sat Jun 1, 2013 11:08:45 in Asia/Tehran (+04:30).
      assert.equal(new Date(article.publishedAt!).toISOString(), '2013-06-01T06:38:45.000Z');
      const paragraphs = [...article.bodyHtml.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]);
      assert.equal(paragraphs.length, 9, 'nine paragraphs of prose (the tenth block of the page is the debug dump)');
      assert.equal(article.bodyHtml, PARAGRAPHS.map((p) => `<p>${escape(p)}</p>`).join(''));
      assert.ok(!/string\(|contenttypeid|\[\{/.test(article.bodyHtml + article.bodyText));
      assert.ok(!article.bodyText.includes(HEADLINE));

      const page = await t.app.inject({ url: `/news/${OLD_ID}` });
      assert.equal(page.statusCode, 301);
      const res = await t.app.inject({ url: page.headers.location as string });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body.split(HEADLINE.replace(/&/g, '&amp;')).length - 1 >= 1, true);
      assert.equal((res.body.match(/<h1[^>]*>[^<]*Groups of militants/g) ?? []).length, 1, 'the headline shows once');
      assert.match(res.body, /Sat Jun 1, 2013 11:08:45/);
      assert.match(res.body, /datetime="2013-06-01T11:08:45\+04:30"/);
      assert.ok(!/string\(\d+\)|contenttypeid/.test(res.body), 'no debug text on the page');
      const body = /<div class="body">(.*?)<\/div>/s.exec(res.body)?.[1] ?? '';
      assert.deepEqual([...body.matchAll(/<p>(.*?)<\/p>/gs)].map((m) => m[1]), PARAGRAPHS.map(escape), 'the page shows the nine paragraphs, in order');
    });

    test('/api/legacy/related returns the four original items with their sort, type and pic', async () => {
      const res = await t.app.inject({ url: `/api/legacy/related/${OLD_ID}` });
      assert.equal(res.statusCode, 200);
      const text = readFileSync(REFERENCE, 'utf8');
      const original = JSON.parse(/string\(\d+\) "(\[.*\])"/s.exec(text)![1]!) as Record<string, string>[];
      const items = res.json() as Record<string, string>[];
      assert.deepEqual(items.map((i) => i.id), RELATED_IDS);
      assert.deepEqual(items.map((i) => i.sort), ['3027275', '3027276', '3027277', '3027278']);
      assert.deepEqual(items.map((i) => i.contenttypeid), ['21', '21', '21', '21']);
      assert.deepEqual(items, original, 'exactly the JSON the old site leaked');
    });

    test('the global sort sequence continues above the highest imported number', async () => {
      const sort = await t.services.repos.related.reserveSorts(1);
      assert.equal(sort, 3027279);
    });

    test('a re-run skips what is done and never duplicates', async () => {
      const before = await t.services.repos.articles.countAll();
      const { summary } = await run([dir]);
      assert.equal(summary.skipped, 1);
      assert.equal(summary.created, 0);
      assert.equal(await t.services.repos.articles.countAll(), before);
    });

    test('a related item arriving later fills its placeholder under the same id', async () => {
      const later = mkdtempSync(join(tmpdir(), 'legacy-later-'));
      writeFileSync(join(later, '1479894.txt'), relatedPage('Syrian army confirms Qatari presence in Qusayr'));
      const { summary, reports } = await run([later]);
      rmSync(later, { recursive: true, force: true });
      assert.equal(summary.created, 1);
      assert.equal(reports[0]!.articleId, 1479894);
      assert.ok(reports[0]!.repairs.some((r) => /placeholder/.test(r)));
      const page = await t.app.inject({ url: '/news/1479894' });
      assert.equal(page.statusCode, 301);
      const items = (await t.app.inject({ url: `/api/legacy/related/${OLD_ID}` })).json() as Record<string, string>[];
      assert.deepEqual(items.map((i) => i.id), RELATED_IDS, 'the list still names all four, in order');
      assert.equal(items[0]!.pic, '/2013/05/31/alalam_635056300967158844_25f_4x3.jpg');
    });

    test('unreadable pages are reported as failed, not thrown', async () => {
      const bad = mkdtempSync(join(tmpdir(), 'legacy-bad-'));
      writeFileSync(join(bad, 'empty.txt'), '\n\n');
      const { summary, reports } = await run([bad]);
      rmSync(bad, { recursive: true, force: true });
      assert.equal(summary.failed, 1);
      assert.match(reports[0]!.error ?? '', /no text/);
    });
  });
}
