import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { wireBackoffMs } from '../../src/services/import/wire.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { FeedServer, rss } from '../helpers/feed-server.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

/** Issue 13 item 2: wire sources polled from the job table into the Incoming queue, against a feed server the test runs. */
for (const engine of DIALECTS) {
  describe(`wire ingest (${engine})`, () => {
    let t: TestApp;
    let feeds: FeedServer;
    let editor: Client;
    let author: Client;
    let sectionId: number;
    let folderRoot: string;

    before(async () => {
      feeds = await new FeedServer().start();
      folderRoot = mkdtempSync(join(tmpdir(), 'dateline-wire-'));
      t = await createTestApp(engine, {}, undefined, { wire: { wireAllowPrivate: ['127.0.0.1/32'], wireTimeoutMs: 1500, wireMaxBytes: 64 * 1024, wireFolderRoot: folderRoot } });
      editor = await login(t.app, await makeUser(t, 'editor'));
      author = await login(t.app, await makeUser(t, 'author'));
      sectionId = await makeSection(t);
    });
    after(async () => {
      await t?.cleanup();
      await feeds?.stop();
      rmSync(folderRoot, { recursive: true, force: true });
    });

    const incoming = async (query = '') => {
      const r = await editor.get(`/api/admin/incoming${query}`);
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { items: { id: number; headline: string; sourceName: string; language: string; articleId: number | null; correctedAt: string | null }[]; sources: { id: number; name: string }[]; languages: string[] };
    };
    const source = async (id: number) => (await editor.get('/api/admin/wire-sources')).json().items.find((s: { id: number }) => s.id === id);
    const advance = async (ms: number) => {
      t.clock.set(t.clock.now + ms);
      return t.runJobs();
    };

    it('polls a feed on the schedule, sends the validators back and reads nothing on 304', async () => {
      feeds.set('/world.rss', {
        etag: '"v1"',
        lastModified: 'Fri, 20 Nov 2026 10:00:00 GMT',
        body: rss([
          { guid: 'ag-1', title: 'Ceasefire talks resume in Doha', html: '<p>Talks resumed on Friday.</p><script>alert(1)</script><p onclick="x()">Delegations met.</p>', author: 'Agency staff' },
          { guid: 'ag-2', title: 'Floods cut the coastal road', html: '<p>The road was closed.</p>' },
        ]),
      });
      const created = await editor.post('/api/admin/wire-sources', { name: 'Agency World', kind: 'feed', location: `${feeds.url}/world.rss`, agency: 'Agency Press', language: 'en', intervalSeconds: 300 });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as number;
      assert.equal(await t.runJobs(), 1, 'adding a source polls it at once');
      let s = await source(id);
      assert.equal(s.lastStatus, 'ok');
      assert.equal(s.itemsReceived, 2);
      assert.equal(Date.parse(s.nextPollAt), t.clock.now + 300_000);
      const queue = await incoming();
      assert.deepEqual(queue.items.map((i) => i.headline).sort(), ['Ceasefire talks resume in Doha', 'Floods cut the coastal road']);
      assert.equal(queue.items[0]!.sourceName, 'Agency World');

      assert.equal(await advance(299_000), 0, 'not due before the interval');
      assert.equal(await advance(1000), 1);
      const second = feeds.at('/world.rss').at(-1)!;
      assert.equal(second.headers['if-none-match'], '"v1"');
      assert.equal(second.headers['if-modified-since'], 'Fri, 20 Nov 2026 10:00:00 GMT');
      assert.equal(second.status, 304);
      s = await source(id);
      assert.equal(s.lastStatus, 'not-modified');
      assert.equal(s.itemsReceived, 2);
      assert.equal((await incoming()).items.length, 2);
    });

    it('drops what it has seen: the same guid again, and the same story under a new guid or from another source', async () => {
      const id = (await editor.get('/api/admin/wire-sources')).json().items[0].id as number;
      feeds.set('/world.rss', {
        etag: '"v2"',
        body: rss([
          { guid: 'ag-1', title: 'Ceasefire talks resume in Doha', html: '<p>Talks resumed on Friday.</p><script>alert(1)</script><p onclick="x()">Delegations met.</p>', author: 'Agency staff' },
          { guid: 'ag-2-reissued', title: 'Floods cut  the coastal road', html: '<p>The road  was closed.</p>' },
          { guid: 'ag-3', title: 'Central bank holds rates', html: '<p>Rates stay at 4%.</p>', language: 'ar' },
        ]),
      });
      const polled = await editor.post(`/api/admin/wire-sources/${id}/poll`, {});
      assert.equal(polled.statusCode, 202, polled.body);
      assert.equal(await t.runJobs(), 1);
      assert.equal((await source(id)).itemsReceived, 3);
      feeds.set('/other.json', {
        type: 'application/feed+json',
        body: JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Other agency', items: [{ id: 'x-9', title: 'Central bank holds rates', content_html: '<p>Rates stay at 4%.</p>' }, { id: 'x-10', title: 'Port reopens', content_text: 'Ships sail again.' }] }),
      });
      const other = await editor.post('/api/admin/wire-sources', { name: 'Other agency', location: `${feeds.url}/other.json`, language: 'fr' });
      assert.equal(other.statusCode, 201, other.body);
      await t.runJobs();
      const queue = await incoming();
      assert.deepEqual(queue.items.map((i) => i.headline).sort(), ['Ceasefire talks resume in Doha', 'Central bank holds rates', 'Floods cut the coastal road', 'Port reopens']);
      // Filters: by source and by language.
      assert.deepEqual((await incoming(`?source=${other.json().id}`)).items.map((i) => i.headline), ['Port reopens']);
      assert.deepEqual((await incoming('?language=ar')).items.map((i) => i.headline), ['Central bank holds rates']);
      assert.deepEqual(queue.languages, ['ar', 'en', 'fr']);
    });

    it('backs off while a source fails, records the error, and recovers', async () => {
      feeds.set('/flaky.rss', { status: 503, body: 'maintenance' });
      const id = (await editor.post('/api/admin/wire-sources', { name: 'Flaky', location: `${feeds.url}/flaky.rss`, intervalSeconds: 60 })).json().id as number;
      await t.runJobs();
      let s = await source(id);
      assert.equal(s.lastStatus, 'error');
      assert.match(s.lastError, /HTTP 503/);
      assert.equal(s.failureStreak, 1);
      assert.equal(Date.parse(s.nextPollAt) - t.clock.now, wireBackoffMs(60, 1));
      assert.equal(wireBackoffMs(60, 1), 120_000);
      assert.equal(await advance(60_000), 0, 'no poll at the plain interval while failing');
      assert.equal(await advance(60_000), 1);
      s = await source(id);
      assert.equal(s.failureStreak, 2);
      assert.equal(Date.parse(s.nextPollAt) - t.clock.now, 240_000);
      feeds.set('/flaky.rss', { body: rss([{ guid: 'f-1', title: 'Back online', html: '<p>Fine.</p>' }]) });
      await advance(240_000);
      s = await source(id);
      assert.equal(s.lastStatus, 'ok');
      assert.equal(s.failureStreak, 0);
      assert.equal(s.lastError, null);
      assert.equal(Date.parse(s.nextPollAt) - t.clock.now, 60_000);
    });

    it('fails a poll on a too-large or too-slow answer, and refuses private addresses unless allowed', async () => {
      feeds.set('/huge.rss', { body: rss([{ guid: 'h', title: 'Huge', html: `<p>${'x'.repeat(70 * 1024)}</p>` }]) });
      const huge = (await editor.post('/api/admin/wire-sources', { name: 'Huge', location: `${feeds.url}/huge.rss` })).json().id as number;
      feeds.set('/slow.rss', { delayMs: 3000, body: rss([]) });
      const slow = (await editor.post('/api/admin/wire-sources', { name: 'Slow', location: `${feeds.url}/slow.rss` })).json().id as number;
      await t.runJobs();
      assert.match((await source(huge)).lastError, /longer than 65536 bytes|at most 65536/);
      assert.match((await source(slow)).lastError, /timed out/);
      const refused = await editor.post('/api/admin/wire-sources', { name: 'Metadata', location: 'http://169.254.169.254/latest/feed' });
      assert.equal(refused.statusCode, 422);
      assert.match(refused.headers['content-type'] as string, /problem\+json/);
      assert.match(refused.json().detail, /linkLocal address; wire sources may only reach public addresses \(allow it with WIRE_ALLOW_PRIVATE\)/);
      const folder = await editor.post('/api/admin/wire-sources', { name: 'Escape', kind: 'folder', location: '/etc' });
      assert.equal(folder.statusCode, 422);
      assert.match(folder.json().detail, /must lie under/);
    });

    it('reads ninjs documents from a watched folder, once per file change', async () => {
      const dir = join(folderRoot, 'ninjs');
      (await import('node:fs')).mkdirSync(dir);
      writeFileSync(join(dir, 'a.json'), JSON.stringify({ uri: 'urn:ninjs:1', type: 'text', language: 'fa', headline: 'انتخابات در تهران', body_html: '<p>متن خبر.</p>', by: 'خبرنگار' }));
      const id = (await editor.post('/api/admin/wire-sources', { name: 'Folder wire', kind: 'folder', location: dir, language: 'fa' })).json().id as number;
      await t.runJobs();
      assert.equal((await source(id)).itemsReceived, 1);
      await advance(300_000);
      assert.equal((await source(id)).lastStatus, 'not-modified');
      writeFileSync(join(dir, 'b.json'), JSON.stringify([{ uri: 'urn:ninjs:2', headline: 'Second', body_text: 'Text.' }]));
      utimesSync(join(dir, 'b.json'), new Date(), new Date(Date.now() + 5000));
      await advance(300_000);
      assert.equal((await source(id)).itemsReceived, 2);
      assert.deepEqual((await incoming(`?source=${id}`)).items.map((i) => i.language).sort(), ['fa', 'fa']);
    });

    it('turns an item into a draft with source and agency kept and the body sanitized, once', async () => {
      const item = (await incoming('?language=en')).items.find((i) => i.headline === 'Ceasefire talks resume in Doha')!;
      const preview = await editor.get(`/api/admin/incoming/${item.id}`);
      assert.equal(preview.statusCode, 200);
      assert.doesNotMatch(preview.json().bodyHtml, /script|onclick/);
      assert.equal(preview.json().agency, 'Agency Press');
      assert.equal((await author.post(`/api/admin/incoming/${item.id}/draft`, {})).statusCode, 403, 'authors do not take wires');
      const made = await editor.post(`/api/admin/incoming/${item.id}/draft`, { sectionId });
      assert.equal(made.statusCode, 201, made.body);
      const articleId = made.json().articleId as number;
      const article = (await editor.get(`/api/admin/articles/${articleId}`)).json();
      assert.equal(article.status, 'draft');
      assert.equal(article.headline, 'Ceasefire talks resume in Doha');
      assert.equal(article.source, 'Agency Press');
      assert.equal(article.byline, 'Agency staff');
      assert.match(article.bodyHtml, /Talks resumed on Friday/);
      assert.doesNotMatch(article.bodyHtml, /script|alert|onclick/);
      const again = await editor.post(`/api/admin/incoming/${item.id}/draft`, { sectionId });
      assert.equal(again.statusCode, 409);
      assert.match(again.json().detail, new RegExp(`already draft ${articleId}`));
      assert.ok(!(await incoming()).items.some((i) => i.id === item.id), 'drafted items leave the new queue');
      assert.equal((await incoming('?state=drafted')).items[0]!.articleId, articleId);
      const audit = await t.handle.db.selectFrom('audit_log').select(['action', 'subject']).where('action', 'like', 'wire-%').execute();
      assert.ok(audit.some((a) => a.action === 'wire-item.draft' && a.subject === `wire-item:${item.id}`));
      assert.ok(audit.some((a) => a.action === 'wire-source.create'));
    });

    it('takes an agency correction (same guid, other text) into the queued item, and leaves a draft made from it alone', async () => {
      feeds.set('/corrections.rss', { body: rss([{ guid: 'c-1', title: 'Quake of magnitude 6.1 hits the coast', html: '<p>No casualties reported.</p>' }, { guid: 'c-2', title: 'Bridge opens to traffic', html: '<p>Cars cross today.</p>' }]) });
      const id = (await editor.post('/api/admin/wire-sources', { name: 'Corrections', location: `${feeds.url}/corrections.rss` })).json().id as number;
      await t.runJobs();
      const before = (await incoming(`?source=${id}`)).items;
      assert.equal(before.length, 2);
      const quake = before.find((i) => i.headline.startsWith('Quake'))!;
      const bridge = before.find((i) => i.headline.startsWith('Bridge'))!;
      const drafted = await editor.post(`/api/admin/incoming/${bridge.id}/draft`, { sectionId });
      assert.equal(drafted.statusCode, 201, drafted.body);
      const articleId = drafted.json().articleId as number;

      feeds.set('/corrections.rss', { body: rss([{ guid: 'c-1', title: 'Quake of magnitude 5.8 hits the coast', html: '<p>Two people were hurt.</p>' }, { guid: 'c-2', title: 'Bridge opens to traffic on Monday', html: '<p>Cars cross from Monday.</p>' }]) });
      await advance(300_000);
      assert.equal((await source(id)).itemsReceived, 2, 'a correction is not a new item');
      const after = (await incoming(`?source=${id}`)).items;
      assert.deepEqual(after.map((i) => i.id), [quake.id], 'the drafted item stays out of the new queue');
      assert.equal(after[0]!.headline, 'Quake of magnitude 5.8 hits the coast');
      assert.ok(after[0]!.correctedAt, 'the queue says it was corrected');
      const preview = (await editor.get(`/api/admin/incoming/${quake.id}`)).json();
      assert.match(preview.bodyHtml, /Two people were hurt/);
      assert.doesNotMatch(preview.bodyHtml, /No casualties/);
      const draftedItem = (await editor.get(`/api/admin/incoming/${bridge.id}`)).json();
      assert.equal(draftedItem.headline, 'Bridge opens to traffic on Monday');
      assert.ok(draftedItem.correctedAt);
      const article = (await editor.get(`/api/admin/articles/${articleId}`)).json();
      assert.equal(article.headline, 'Bridge opens to traffic', "the newsroom's draft keeps its text");

      // The same corrected text again is a duplicate, not another correction.
      const correctedAt = after[0]!.correctedAt;
      await advance(300_000);
      assert.equal((await incoming(`?source=${id}`)).items[0]!.correctedAt, correctedAt);
    });

    it('puts every enabled source back on the schedule at start-up when its poll job is gone', async () => {
      feeds.set('/restart.rss', { body: rss([{ guid: 'r-1', title: 'After the restart', html: '<p>Up.</p>' }]) });
      const id = (await editor.post('/api/admin/wire-sources', { name: 'Restart', location: `${feeds.url}/restart.rss` })).json().id as number;
      await t.runJobs();
      await t.services.jobs.cancel(`wire:${id}`);
      assert.equal(await t.services.jobs.isActive(`wire:${id}`), false);
      assert.ok((await t.services.wires.ensureScheduled()) >= 1);
      assert.equal(await t.services.jobs.isActive(`wire:${id}`), true);
      assert.equal(await t.services.wires.ensureScheduled(), 0, 'nothing twice');
    });

    it('lets editors switch a source off (no more polls) and checks input', async () => {
      const id = (await editor.get('/api/admin/wire-sources')).json().items.find((s: { name: string }) => s.name === 'Agency World').id as number;
      const off = await editor.patch(`/api/admin/wire-sources/${id}`, { enabled: false });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().nextPollAt, null);
      const before = feeds.at('/world.rss').length;
      await advance(3_600_000);
      assert.equal(feeds.at('/world.rss').length, before, 'a switched-off source is not polled');
      assert.equal((await editor.patch(`/api/admin/wire-sources/${id}`, { intervalSeconds: 5 })).statusCode, 400);
      const lang = await editor.patch(`/api/admin/wire-sources/${id}`, { language: 'not a language' });
      assert.ok(lang.statusCode === 400 || lang.statusCode === 422, lang.body);
      assert.equal((await author.get('/api/admin/wire-sources')).statusCode, 403);
      assert.equal((await editor.del(`/api/admin/wire-sources/${id}`)).statusCode, 204);
      assert.equal((await editor.get(`/api/admin/incoming?source=${id}`)).json().items.length, 0);
    });
  });
}
