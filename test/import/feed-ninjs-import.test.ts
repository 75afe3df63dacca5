import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { feedEntryDraft, parseFeed } from '../../src/services/import/feed.parser.js';
import { feedSource, ninjsSource, type ImportSourceOptions } from '../../src/services/import/import-sources.js';
import { ninjsDraft } from '../../src/services/import/ninjs.parser.js';
import { createTestDb, DIALECTS, type TestDb } from '../helpers/databases.js';

const FEEDS = new URL('../../../shared/refs/feeds/', import.meta.url).pathname;
const NINJS = new URL('../../../shared/refs/ninjs/examples/', import.meta.url).pathname;
const OPTIONS: ImportSourceOptions = { timeZone: 'UTC', datelineFormat: 'YYYY-MM-DD', language: 'en', contentTypeId: 21, section: { slug: 'wires', name: 'Wires' } };
const DEFAULTS = { language: 'en', contentTypeId: 21, section: { slug: 'wires', name: 'Wires' } };

describe('feed and ninjs parsing', { skip: !existsSync(FEEDS) && 'shared/refs/feeds is missing' }, () => {
  test('real RSS, Atom and JSON Feed files give entries with titles, links and dates', () => {
    const guardian = parseFeed(readFileSync(`${FEEDS}rss-parser-realworld/guardian.rss`, 'utf8'));
    assert.ok(guardian.entries.length > 5);
    assert.ok(guardian.entries.every((e) => e.title && e.link && e.publishedAt !== null));
    const atom = parseFeed(readFileSync(`${FEEDS}rss-parser-realworld/heise.atom`, 'utf8'));
    assert.ok(atom.entries.length > 5 && atom.entries.every((e) => e.guid && e.title));
    const rdf = parseFeed(readFileSync(`${FEEDS}rss-parser-realworld/rss-1.rss`, 'utf8'));
    assert.ok(rdf.entries.length > 0);
    const jsonDir = `${FEEDS}jsonfeed/examples-sonicdoe/v1.1/`;
    const jsonFile = existsSync(jsonDir) ? readdirSync(jsonDir).find((f) => f.endsWith('.json')) : undefined;
    if (jsonFile) assert.ok(parseFeed(readFileSync(jsonDir + jsonFile, 'utf8')).entries.length >= 0);
    assert.throws(() => parseFeed('<html><body>nope</body></html>'), /not an RSS, Atom or JSON Feed/);
  });

  test('ninjs 1.x–3.x text documents become drafts; pictures are passed over', () => {
    const ntb = ninjsDraft(JSON.parse(readFileSync(`${NINJS}3.0/ntb_text.json`, 'utf8')), DEFAULTS)!;
    assert.equal(ntb.headline, 'Google har kjøpt giganttomt i Skien');
    assert.equal(ntb.sourceKey, 'ninjs:urn:8d19cf88-b3ab-4972-8fec-1207599f2872');
    assert.equal(ntb.byline, 'NTB');
    assert.equal(ntb.language, 'nb-NO');
    assert.equal(ntb.publishedAt, Date.parse('2019-08-09T09:30:04Z'));
    assert.ok(ntb.tags!.some((t) => t.kind === 'place' && t.name === 'Telemark'));
    const dpa = ninjsDraft(JSON.parse(readFileSync(`${NINJS}2.1/dpa_text.json`, 'utf8')), DEFAULTS)!;
    assert.match(dpa.bodyHtml, /^<section class="main"><p>Für Lucien Favre/);
    assert.equal(ninjsDraft(JSON.parse(readFileSync(`${NINJS}2.1/ap_image.json`, 'utf8')), DEFAULTS), null);
    assert.throws(() => ninjsDraft({ headline: 'x' }, DEFAULTS), /no uri/);
  });

  test('any entry gives a draft with a headline and a stable source key (property)', () => {
    fc.assert(
      fc.property(fc.record({ guid: fc.string(), title: fc.string(), link: fc.string(), html: fc.string(), summary: fc.string(), author: fc.string(), publishedAt: fc.option(fc.integer({ min: 0, max: 4e12 })), categories: fc.array(fc.string()), language: fc.string() }), (entry) => {
        const a = feedEntryDraft(entry, { title: 'Wire' }, DEFAULTS);
        const b = feedEntryDraft(entry, { title: 'Wire' }, DEFAULTS);
        assert.ok(a.headline.trim().length > 0);
        assert.equal(a.sourceKey, b.sourceKey);
        assert.ok(!/<script/i.test(a.headline));
      }),
    );
  });
});

for (const engine of DIALECTS) {
  describe(`feed and ninjs import on ${engine}`, { skip: !existsSync(FEEDS) && 'refs missing' }, () => {
    let t: TestDb;
    before(async () => (t = await createTestDb(engine)));
    after(() => t.cleanup());

    test('a feed imports once per entry; a re-run skips every entry', async () => {
      const path = `${FEEDS}rss-parser-realworld/guardian.rss`;
      const entries = parseFeed(readFileSync(path, 'utf8')).entries.length;
      const first = await t.services.imports.run((await feedSource([path], OPTIONS)).items);
      assert.equal(first.created, entries);
      const again = await t.services.imports.run((await feedSource([path], OPTIONS)).items);
      assert.equal(again.skipped, entries);
      const row = await t.handle.db.selectFrom('articles').select(['source', 'status']).executeTakeFirstOrThrow();
      assert.match(row.source, /Guardian/i);
    });

    test('every ninjs example imports without failures', async () => {
      const failures: string[] = [];
      const summary = await t.services.imports.run((await ninjsSource([NINJS], OPTIONS)).items, { onItem: (r) => r.action === 'failed' && failures.push(r.error ?? '') });
      // The one JSON schema among the examples is not a ninjs document, and says so.
      assert.deepEqual(failures.map((f) => f.replace(/^.*\//, '')), ['extension-schema.json: the ninjs document has no uri']);
      assert.equal(summary.failed, 1);
      assert.ok(summary.created >= 5);
    });
  });
}
