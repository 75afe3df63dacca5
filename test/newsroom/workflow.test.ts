import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createJobHandlers } from '../../src/jobs/job-handlers.js';
import { JobRunner } from '../../src/jobs/job-runner.js';
import { createServices } from '../../src/services/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

for (const engine of DIALECTS) {
  describe(`newsroom workflow on ${engine}`, () => {
    let t: TestApp;
    let section: number;
    let editor: Client;
    let editor2: Client;
    let author: Client;
    let contributor: Client;
    before(async () => {
      t = await createTestApp(engine);
      section = await makeSection(t, 'world', 'World');
      editor = await login(t.app, await makeUser(t, 'editor'));
      editor2 = await login(t.app, await makeUser(t, 'editor'));
      author = await login(t.app, await makeUser(t, 'author'));
      contributor = await login(t.app, await makeUser(t, 'contributor'));
    });
    after(() => t.cleanup());

    const create = async (c: Client, body: Record<string, unknown> = {}) => {
      const res = await c.post('/api/admin/articles', { headline: 'Floods hit the delta', sectionId: section, bodyHtml: '<p>Water rose overnight.</p>', ...body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const act = (c: Client, id: number, action: string, extra: Record<string, unknown> = {}) => c.post(`/api/admin/articles/${id}/transitions`, { action, ...extra });
    const publicPage = (a: { id: number; slug: string }) => t.app.inject({ method: 'GET', url: `/news/${a.id}/${a.slug}` });

    test('draft → submitted → published → updated, each step a revision and an audit entry', async () => {
      const draft = await create(contributor);
      assert.equal(draft.status, 'draft');
      assert.equal(draft.revision, 1);
      assert.equal(draft.authorName, contributor.user!.name);
      assert.equal(draft.publicUrl, null);
      assert.equal((await publicPage(draft)).statusCode, 404);

      assert.equal((await act(contributor, draft.id, 'publish')).statusCode, 403, 'a contributor cannot publish');
      const submitted = (await act(contributor, draft.id, 'submit')).json();
      assert.equal(submitted.status, 'submitted');
      assert.equal(submitted.revision, 2);
      const published = (await act(editor, draft.id, 'publish')).json();
      assert.equal(published.status, 'published');
      assert.equal(published.publishedAt, new Date(t.clock.now).toISOString());
      assert.match(published.publicUrl, /^http:\/\/news\.test\/news\/\d+\/floods-hit-the-delta$/);
      assert.equal((await publicPage(published)).statusCode, 200);
      assert.equal((await contributor.put(`/api/admin/articles/${draft.id}`, { baseRevision: published.revision, dek: 'x' })).statusCode, 403, 'a contributor cannot change a live article');

      const updated = (await editor.put(`/api/admin/articles/${draft.id}`, { baseRevision: published.revision, headline: 'Floods hit the delta again' })).json();
      assert.equal(updated.revision, published.revision + 1);
      const page = await t.app.inject({ method: 'GET', url: `/news/${draft.id}/${updated.slug}` });
      assert.match(page.body, /Floods hit the delta again/);

      const revisions = (await editor.get(`/api/admin/articles/${draft.id}/revisions`)).json().items;
      assert.deepEqual(revisions.map((r: { action: string }) => r.action), ['save', 'publish', 'submit', 'create']);
      const audit = (await editor.get('/api/admin/audit')).json().items;
      const actions = audit.filter((e: { subject: string }) => e.subject === `article:${draft.id}`).map((e: { action: string }) => e.action);
      assert.deepEqual(actions, ['article.save', 'article.publish', 'article.submit', 'article.create']);
      assert.ok(audit.every((e: { userName: string; at: string }) => e.userName && e.at));
    });

    test('kill and unpublish: the page answers 410 and the article leaves lists and related lists at once', async () => {
      const a = (await act(author, (await create(author, { headline: 'Minister resigns' })).id, 'publish')).json();
      const b = (await act(author, (await create(author, { headline: 'Parliament votes', related: [{ id: a.id, pinned: true }] })).id, 'publish')).json();
      // Warm the content cache, then remove: nothing stale may be served.
      assert.equal((await publicPage(a)).statusCode, 200);
      assert.ok((await t.app.inject({ method: 'GET', url: `/api/v1/articles/${b.id}/related` })).json().items.some((r: { id: number }) => r.id === a.id));
      assert.equal((await act(author, a.id, 'kill')).statusCode, 403, 'an author cannot kill');
      const killed = (await act(editor, a.id, 'kill')).json();
      assert.equal(killed.status, 'killed');
      const gone = await publicPage(a);
      assert.equal(gone.statusCode, 410);
      assert.match(gone.body, /has been removed/);
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/articles/${a.id}` })).statusCode, 410);
      assert.ok(!(await t.app.inject({ method: 'GET', url: `/api/v1/articles/${b.id}/related` })).json().items.some((r: { id: number }) => r.id === a.id));
      assert.ok(!(await t.app.inject({ method: 'GET', url: '/api/v1/articles?limit=100' })).json().items.some((r: { id: number }) => r.id === a.id));
      assert.ok(!(await t.app.inject({ method: 'GET', url: '/' })).body.includes('Minister resigns'));

      const unpublished = (await act(author, b.id, 'unpublish')).json();
      assert.equal(unpublished.status, 'unpublished');
      assert.equal((await publicPage(b)).statusCode, 410);
      // A never-published draft is simply not there.
      const d = await create(author, { headline: 'Never out' });
      assert.equal((await act(editor, d.id, 'kill')).json().status, 'killed');
      assert.equal((await t.app.inject({ method: 'GET', url: `/news/${d.id}/never-out` })).statusCode, 404);
      // Illegal moves are refused with 409.
      const bad = await act(editor, a.id, 'publish');
      assert.equal(bad.statusCode, 409);
      assert.equal(bad.json().code, 'INVALID_TRANSITION');
    });

    test('corrections are dated, shown on the page and in the content API', async () => {
      const a = (await act(author, (await create(author, { headline: 'Port reopens' })).id, 'publish')).json();
      assert.equal((await act(author, a.id, 'correct')).statusCode, 422, 'a note is required');
      const corrected = (await act(author, a.id, 'correct', { note: 'An earlier version misstated the date.' })).json();
      assert.equal(corrected.status, 'published');
      assert.deepEqual(corrected.corrections, [{ at: new Date(t.clock.now).toISOString(), note: 'An earlier version misstated the date.' }]);
      const page = await publicPage(a);
      assert.match(page.body, /class="corrections"/);
      assert.match(page.body, /Correction<\/strong> <time datetime="[^"]+">[^<]+<\/time>: An earlier version misstated the date\./);
      const api = (await t.app.inject({ method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
      assert.equal(api.corrections[0].note, 'An earlier version misstated the date.');
    });

    test('scheduled articles go live on time through the job queue, also after a restart', async () => {
      const a = await create(author, { headline: 'Budget speech' });
      const start = t.clock.now;
      assert.equal((await act(author, a.id, 'schedule', { at: new Date(start - 1000).toISOString() })).statusCode, 422, 'not in the past');
      const scheduled = (await act(author, a.id, 'schedule', { at: new Date(start + 60_000).toISOString() })).json();
      assert.equal(scheduled.status, 'scheduled');
      assert.equal(scheduled.scheduledAt, new Date(start + 60_000).toISOString());

      // "Restart": fresh services and runner over the same database; nothing was in memory.
      const restarted = createServices(t.handle, { dataDir: t.dataDir, mediaSitePrefix: 'test' }, { clock: () => t.clock.now });
      const runner = new JobRunner(restarted.repos.jobs, createJobHandlers(restarted), () => t.clock.now);
      await runner.runDue();
      assert.equal((await author.get(`/api/admin/articles/${a.id}`)).json().status, 'scheduled', 'not before its time');
      t.clock.set(start + 61_000);
      await runner.runDue();
      const live = (await author.get(`/api/admin/articles/${a.id}`)).json();
      assert.equal(live.status, 'published');
      assert.equal(live.publishedAt, new Date(start + 61_000).toISOString());
      assert.equal((await publicPage(live)).statusCode, 200);
      const revs = (await author.get(`/api/admin/articles/${a.id}/revisions`)).json().items;
      assert.equal(revs[0].action, 'publish');
      assert.equal(revs[0].userName, 'scheduler');
      // Idempotent: running again does nothing.
      assert.equal(await restarted.newsroom.workflow.publishScheduled(a.id), false);

      // Rescheduling replaces the pending job; returning to draft cancels it.
      const b = await create(author, { headline: 'Cabinet reshuffle' });
      await act(author, b.id, 'schedule', { at: new Date(t.clock.now + 60_000).toISOString() });
      await act(author, b.id, 'schedule', { at: new Date(t.clock.now + 120_000).toISOString() });
      t.clock.set(t.clock.now + 90_000);
      await runner.runDue();
      assert.equal((await author.get(`/api/admin/articles/${b.id}`)).json().status, 'scheduled');
      await act(author, b.id, 'return');
      t.clock.set(t.clock.now + 60_000);
      await runner.runDue();
      assert.equal((await author.get(`/api/admin/articles/${b.id}`)).json().status, 'draft');
    });

    test('an embargo holds a publish back until it passes', async () => {
      const a = await create(author, { headline: 'Report released' });
      const until = t.clock.now + 3_600_000;
      const embargoed = (await act(author, a.id, 'embargo', { at: new Date(until).toISOString() })).json();
      assert.equal(embargoed.embargoUntil, new Date(until).toISOString());
      const published = (await act(author, a.id, 'publish')).json();
      assert.equal(published.status, 'published');
      assert.equal(published.publishedAt, new Date(until).toISOString());
      assert.equal((await publicPage(published)).statusCode, 404, 'not public during the embargo');
      t.clock.set(until + 10_000);
      assert.equal((await publicPage(published)).statusCode, 200);
      assert.equal((await act(author, a.id, 'embargo', { at: new Date(t.clock.now + 1000).toISOString() })).statusCode, 409, 'too late once public');
    });

    test('two editors save at once: exactly one wins, the other gets 409 with the winner’s text and can merge', async () => {
      const a = await create(editor, { bodyHtml: '<p>Base text.</p>' });
      const [r1, r2] = await Promise.all([
        editor.put(`/api/admin/articles/${a.id}`, { baseRevision: 1, bodyHtml: '<p>Base text.</p><p>Alpha paragraph.</p>' }),
        editor2.put(`/api/admin/articles/${a.id}`, { baseRevision: 1, bodyHtml: '<p>Base text.</p><p>Beta paragraph.</p>' }),
      ]);
      const statuses = [r1.statusCode, r2.statusCode].sort();
      assert.deepEqual(statuses, [200, 409]);
      const [winner, loser] = r1.statusCode === 200 ? [r1, r2] : [r2, r1];
      const loserClient = r1.statusCode === 200 ? editor2 : editor;
      const problem = loser.json();
      assert.equal(problem.code, 'REVISION_CONFLICT');
      assert.match(loser.headers['content-type'] as string, /application\/problem\+json/);
      assert.equal(problem.current.revision, 2);
      assert.equal(problem.current.bodyHtml, winner.json().bodyHtml);
      const mine = loserClient === editor ? 'Alpha' : 'Beta';
      // Nothing was overwritten silently.
      assert.equal((await editor.get(`/api/admin/articles/${a.id}`)).json().bodyHtml, winner.json().bodyHtml);
      const merged = await loserClient.put(`/api/admin/articles/${a.id}`, { baseRevision: problem.current.revision, bodyHtml: `${problem.current.bodyHtml}<p>${mine} paragraph.</p>` });
      assert.equal(merged.statusCode, 200, merged.body);
      assert.match(merged.json().bodyHtml, /Alpha paragraph/);
      assert.match(merged.json().bodyHtml, /Beta paragraph/);
      assert.equal(merged.json().revision, 3);
    });

    test('many concurrent saves on one revision: exactly one succeeds', async () => {
      const a = await create(editor);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? editor : editor2).put(`/api/admin/articles/${a.id}`, { baseRevision: 1, dek: `dek ${i}` })),
      );
      assert.equal(results.filter((r) => r.statusCode === 200).length, 1);
      assert.equal(results.filter((r) => r.statusCode === 409).length, 5);
      const revs = (await editor.get(`/api/admin/articles/${a.id}/revisions`)).json().items;
      assert.deepEqual(revs.map((r: { number: number }) => r.number), [2, 1]);
    });

    test('revisions: view, diff, restore; autosaves squash and stay off live articles', async () => {
      const a = await create(author, { bodyHtml: '<p>One two three.</p>' });
      const s2 = (await author.put(`/api/admin/articles/${a.id}`, { baseRevision: 1, headline: 'Floods: second take', bodyHtml: '<p>One two four.</p>' })).json();
      const rev1 = (await author.get(`/api/admin/articles/${a.id}/revisions/1`)).json();
      assert.equal(rev1.number, 1);
      assert.equal(rev1.headline, 'Floods hit the delta');
      assert.equal(rev1.bodyHtml, '<p>One two three.</p>');
      const diff = (await author.get(`/api/admin/articles/${a.id}/revisions/2/diff?against=1`)).json();
      assert.deepEqual(diff.fields.map((f: { field: string }) => f.field), ['headline', 'bodyHtml']);
      assert.deepEqual(diff.bodyDiff.filter((p: { op: string }) => p.op !== 'equal'), [
        { op: 'delete', text: 'three' },
        { op: 'insert', text: 'four' },
      ]);
      assert.equal((await author.get(`/api/admin/articles/${a.id}/revisions/9`)).statusCode, 404);

      const restored = (await author.post(`/api/admin/articles/${a.id}/revisions/1/restore`, { baseRevision: s2.revision })).json();
      assert.equal(restored.revision, 3);
      assert.equal(restored.headline, 'Floods hit the delta');
      assert.equal((await author.post(`/api/admin/articles/${a.id}/revisions/1/restore`, { baseRevision: 2 })).statusCode, 409);

      const auto1 = (await author.post(`/api/admin/articles/${a.id}/autosave`, { baseRevision: 3, dek: 'typing…' })).json();
      const auto2 = (await author.post(`/api/admin/articles/${a.id}/autosave`, { baseRevision: auto1.revision, dek: 'typing more…' })).json();
      assert.equal(auto2.revision, 5);
      const list = (await author.get(`/api/admin/articles/${a.id}/revisions`)).json().items;
      assert.deepEqual(list.map((r: { number: number; autosave: boolean }) => [r.number, r.autosave]), [[5, true], [3, false], [2, false], [1, false]]);
      assert.equal((await author.post(`/api/admin/articles/${a.id}/autosave`, { baseRevision: 4, dek: 'stale' })).statusCode, 409);

      const live = (await act(author, a.id, 'publish')).json();
      const refused = await author.post(`/api/admin/articles/${a.id}/autosave`, { baseRevision: live.revision, dek: 'on a live article' });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'INVALID_TRANSITION');
    });

    test('list and filter; drafts can be deleted, published ones cannot; preview needs a session', async () => {
      const d = await create(contributor, { headline: 'Zebra crossing plan' });
      const found = (await editor.get('/api/admin/articles?q=zebra&status=draft')).json();
      assert.deepEqual(found.items.map((i: { id: number }) => i.id), [d.id]);
      assert.equal(found.items[0].bodyHtml, undefined);
      const page1 = (await editor.get('/api/admin/articles?limit=2')).json();
      assert.equal(page1.items.length, 2);
      const page2 = (await editor.get(`/api/admin/articles?limit=2&cursor=${page1.nextCursor}`)).json();
      assert.ok(page2.items.every((i: { id: number }) => !page1.items.some((j: { id: number }) => j.id === i.id)));

      const preview = await editor.get(`/admin/preview/${d.id}`);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /Zebra crossing plan/);
      assert.match(preview.headers['cache-control'] as string, /no-store/);
      assert.equal((await t.app.inject({ method: 'GET', url: `/admin/preview/${d.id}` })).statusCode, 401);

      assert.equal((await author.del(`/api/admin/articles/${d.id}`)).statusCode, 403, "not the author's own");
      assert.equal((await contributor.del(`/api/admin/articles/${d.id}`)).statusCode, 204);
      assert.equal((await editor.get(`/api/admin/articles/${d.id}`)).statusCode, 404);
      const p = (await act(editor, (await create(editor)).id, 'publish')).json();
      assert.equal((await editor.del(`/api/admin/articles/${p.id}`)).statusCode, 409);
    });
  });
}
