import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeImage, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

const LONG_BODY = `<p>${'Water rose overnight across the delta and families moved to higher ground. '.repeat(8)}</p>`;

for (const engine of DIALECTS) {
  describe(`three-way merge, revision comparison and publish checks on ${engine}`, () => {
    let t: TestApp;
    let section: number;
    let editor: Client;
    let editor2: Client;
    before(async () => {
      t = await createTestApp(engine);
      section = await makeSection(t, 'world', 'World');
      editor = await login(t.app, await makeUser(t, 'editor'));
      editor2 = await login(t.app, await makeUser(t, 'editor'));
    });
    after(() => t.cleanup());

    const create = async (body: Record<string, unknown> = {}) => {
      const res = await editor.post('/api/admin/articles', { headline: 'Floods hit the delta', sectionId: section, dek: 'Base dek', bodyHtml: '<p>One.</p><p>Two.</p><p>Three.</p>', ...body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };

    test('two tabs: A changes the dek, B the headline; the 409 offers base, theirs, mine and a merge that keeps both', async () => {
      const a = await create();
      const tabA = await editor.put(`/api/admin/articles/${a.id}`, { baseRevision: 1, headline: a.headline, dek: 'Dek from tab A', bodyHtml: a.bodyHtml });
      assert.equal(tabA.statusCode, 200, tabA.body);
      // Tab B sends the whole form, as the app does: its dek is still the base dek.
      const tabB = await editor2.put(`/api/admin/articles/${a.id}`, { baseRevision: 1, headline: 'Headline from tab B', dek: 'Base dek', bodyHtml: a.bodyHtml });
      assert.equal(tabB.statusCode, 409);
      const problem = tabB.json();
      assert.equal(problem.code, 'REVISION_CONFLICT');
      assert.equal(problem.revision, 2, JSON.stringify(problem).slice(0, 600));
      assert.equal(problem.base.revision, 1);
      assert.equal(problem.base.content.dek, 'Base dek');
      assert.equal(problem.theirs.dek, 'Dek from tab A');
      assert.equal(problem.mine.headline, 'Headline from tab B');
      assert.deepEqual(problem.merge.conflicts, []);
      assert.equal(problem.merge.merged.dek, 'Dek from tab A', 'their dek is not reverted');
      assert.equal(problem.merge.merged.headline, 'Headline from tab B');
      assert.deepEqual(problem.merge.fromTheirs, ['dek']);
      assert.deepEqual(problem.merge.fromMine, ['headline']);
      const saved = await editor2.put(`/api/admin/articles/${a.id}`, { baseRevision: problem.revision, ...problem.merge.merged });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().dek, 'Dek from tab A');
      assert.equal(saved.json().headline, 'Headline from tab B');
    });

    test('the merge endpoint: different paragraphs merge, the same paragraph is a conflict; nothing is saved', async () => {
      const a = await create();
      await editor.put(`/api/admin/articles/${a.id}`, { baseRevision: 1, bodyHtml: '<p>One, theirs.</p><p>Two.</p><p>Three.</p>' });
      const clean = await editor2.post(`/api/admin/articles/${a.id}/merge`, { baseRevision: 1, bodyHtml: '<p>One.</p><p>Two.</p><p>Three, mine.</p><p></p>' });
      assert.equal(clean.statusCode, 200, clean.body);
      assert.equal(clean.json().merge.merged.bodyHtml, '<p>One, theirs.</p><p>Two.</p><p>Three, mine.</p>');
      assert.ok(clean.json().merge.body.every((c: object) => 'ok' in c));

      const clash = (await editor2.post(`/api/admin/articles/${a.id}/merge`, { baseRevision: 1, bodyHtml: '<p>One, mine.</p><p>Two.</p><p>Three.</p>' })).json();
      assert.deepEqual(clash.merge.body.filter((c: object) => 'conflict' in c), [{ conflict: { base: '<p>One.</p>', theirs: '<p>One, theirs.</p>', mine: '<p>One, mine.</p>' } }]);
      assert.equal((await editor.get(`/api/admin/articles/${a.id}`)).json().revision, 2, 'a merge proposal saves nothing');
      assert.equal((await editor2.post(`/api/admin/articles/999999/merge`, { baseRevision: 1 })).statusCode, 404);
    });

    test('revision comparison reads from older to newer, rendered, word by word; restore still works', async () => {
      const a = await create({ bodyHtml: '<p>The river rose.</p>' });
      const s2 = (await editor.put(`/api/admin/articles/${a.id}`, { baseRevision: 1, bodyHtml: '<p>The river rose fast.</p>', tags: [{ kind: 'place', name: 'Basra' }] })).json();
      for (const [x, y] of [[1, 2], [2, 1]]) {
        const cmp = await editor.get(`/api/admin/articles/${a.id}/revisions/compare?a=${x}&b=${y}`);
        assert.equal(cmp.statusCode, 200, cmp.body);
        const { from, to, fields } = cmp.json();
        assert.deepEqual([from, to], [1, 2]);
        const body = fields.find((f: { field: string }) => f.field === 'bodyHtml');
        assert.equal(body.label, 'Body');
        assert.equal(body.before, 'The river rose.');
        assert.equal(body.after, 'The river rose fast.');
        assert.deepEqual(body.parts.filter((p: { op: string }) => p.op !== 'equal').map((p: { op: string; text: string }) => [p.op, p.text.trim()]), [['insert', 'fast']], 'text added in 2 shows as inserted');
        const tags = fields.find((f: { field: string }) => f.field === 'tags');
        assert.equal(tags.after, 'Basra (place)');
        assert.equal(tags.parts.find((p: { op: string }) => p.op === 'insert').text, 'Basra (place)');
      }
      const restored = await editor.post(`/api/admin/articles/${a.id}/revisions/1/restore`, { baseRevision: s2.revision });
      assert.equal(restored.statusCode, 200, restored.body);
      assert.equal(restored.json().bodyHtml, '<p>The river rose.</p>');
      assert.equal((await editor.get(`/api/admin/articles/${a.id}/revisions/compare?a=1&b=99`)).statusCode, 404);
    });

    test('publish checks: blocking items stop publish and schedule with an editor message; warnings do not', async () => {
      const empty = await create({ bodyHtml: '' });
      const checks = (await editor.get(`/api/admin/articles/${empty.id}/publish-checks`)).json();
      assert.equal(checks.ready, false);
      assert.deepEqual(checks.checks.map((c: { code: string; severity: string }) => `${c.severity}:${c.code}`), ['blocking:BODY_EMPTY', 'warning:NO_LEAD_MEDIA', 'warning:NO_TAGS', 'warning:NO_RELATED']);
      for (const body of [{ action: 'publish' }, { action: 'schedule', at: new Date(t.clock.now + 3_600_000).toISOString() }]) {
        const refused = await editor.post(`/api/admin/articles/${empty.id}/transitions`, body);
        assert.equal(refused.statusCode, 422);
        assert.match(refused.json().detail, /The body is empty/);
        assert.equal(refused.json().checks[0].code, 'BODY_EMPTY');
      }
      // A video report may go out without body text.
      const video = await create({ bodyHtml: '', contentTypeId: 22 });
      assert.equal((await editor.get(`/api/admin/articles/${video.id}/publish-checks`)).json().ready, true);

      const lead = await makeImage(t);
      await t.services.repos.media.update(lead, { alt: '' });
      const short = await create({ bodyHtml: '<p>Short.</p>', leadMediaId: lead, tags: [{ kind: 'topic', name: 'Floods' }] });
      const shortChecks = (await editor.get(`/api/admin/articles/${short.id}/publish-checks`)).json().checks.map((c: { code: string }) => c.code);
      assert.deepEqual(shortChecks, ['ALT_TEXT_MISSING', 'SHORT_BODY', 'NO_RELATED']);

      const fine = await create({ bodyHtml: LONG_BODY, tags: [{ kind: 'topic', name: 'Floods' }] });
      const ok = (await editor.get(`/api/admin/articles/${fine.id}/publish-checks`)).json();
      assert.equal(ok.ready, true);
      assert.deepEqual(ok.checks.map((c: { code: string }) => c.code), ['NO_LEAD_MEDIA', 'NO_RELATED']);
      const published = await editor.post(`/api/admin/articles/${fine.id}/transitions`, { action: 'publish' });
      assert.equal(published.statusCode, 200, published.body);
      assert.equal(published.json().status, 'published');
    });

    test('validation messages are written for editors, not schema messages', async () => {
      const a = await create();
      const long = 'x'.repeat(341);
      const res = await editor.put(`/api/admin/articles/${a.id}`, { baseRevision: 1, headline: long });
      assert.equal(res.statusCode, 400);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
      assert.equal(res.json().detail, 'The headline can be at most 300 characters; it has 341.');
      const cases: [Record<string, unknown>, string][] = [
        [{ baseRevision: 1, headline: '' }, 'The headline must not be empty.'],
        [{ baseRevision: 1, sectionId: 'world' }, 'The section must be a whole number.'],
        [{ headline: 'x' }, 'The revision your edit is based on is missing: fill it in.'],
        [{ baseRevision: 1, colour: 'red' }, '"colour" is not something this form accepts.'],
        [{ baseRevision: 1, tags: [{ kind: 'animal', name: 'Cat' }] }, 'The kind of tag 1 must be one of: topic, person, organisation, place.'],
      ];
      for (const [body, message] of cases) {
        const r = await editor.put(`/api/admin/articles/${a.id}`, body);
        assert.equal(r.statusCode, 400);
        assert.equal(r.json().detail, message);
        assert.doesNotMatch(r.json().detail, /must NOT|must match|must be equal to/);
      }
      const domain: [Record<string, unknown>, RegExp][] = [
        [{ baseRevision: 1, headline: '   ' }, /^Write a headline/],
        [{ baseRevision: 1, sectionId: 99999 }, /The chosen section \(id 99999\) does not exist any more; choose another section\./],
        [{ baseRevision: 1, related: [{ id: 99999, pinned: true }] }, /Related story 99999 no longer exists; remove it from the related list\./],
      ];
      for (const [body, message] of domain) {
        const r = await editor.put(`/api/admin/articles/${a.id}`, body);
        assert.equal(r.statusCode, 422);
        assert.match(r.json().detail, message);
      }
      const created = await editor.post('/api/admin/articles', { headline: `${'y'.repeat(150)}é${'z'.repeat(160)}`, sectionId: section });
      assert.equal(created.json().detail, 'The headline can be at most 300 characters; it has 311.');
    });
  });
}
