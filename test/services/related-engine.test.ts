import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

const DAY = 86_400_000;
const FLOOD = (n: number) =>
  `<p>Floodwaters from the Marrow river breached the Kessel dam near Dunmore for the ${n} time, forcing evacuations. ` +
  `Rescue crews and the Red Crescent Society moved families from flooded villages as the reservoir overflowed.</p>`;

for (const engine of DIALECTS) {
  describe(`related engine on ${engine}`, () => {
    let t: TestApp;
    let s: number;
    const story: number[] = [];
    let other: number;
    let pin: number;
    const list = async (id: number) => (await t.services.repos.related.listVisible(id, t.clock.now)).map((r) => ({ id: r.id, pinned: r.pinned, sort: r.sort }));

    before(async () => {
      t = await createTestApp(engine);
      s = await makeSection(t);
      other = await makeArticle(t, s, { headline: 'Chess champion retains title in Oslo', bodyHtml: '<p>The chess champion won the final game with a bold queen sacrifice.</p>' });
      pin = await makeArticle(t, s, { headline: 'Editors choice: a profile of a harbour town', bodyHtml: '<p>Fishing boats and quiet streets.</p>' });
      const headlines = ['Kessel dam flooding forces evacuations', 'Rescue crews reach villages cut off by the Marrow river', 'Reservoir overflow: Dunmore families move to shelters'];
      for (let i = 0; i < 3; i++) {
        story.push(
          await makeArticle(t, s, {
            headline: headlines[i]!,
            bodyHtml: FLOOD(i + 1),
            tags: [{ kind: 'topic', name: 'Floods' }],
            publishedAt: t.clock.now - (3 - i) * DAY,
          }),
        );
      }
    });
    after(() => t.cleanup());

    test('lists are precomputed at publish, ranked by shared terms, tags and entities', async () => {
      for (const id of story) {
        const items = await list(id);
        const others = story.filter((x) => x !== id);
        assert.deepEqual(new Set(items.slice(0, 2).map((i) => i.id)), new Set(others), `article ${id}`);
        assert.ok(!items.some((i) => i.id === other), 'unrelated story stays out');
        assert.ok(items.every((i) => !i.pinned));
      }
    });

    test('publishing a new article about the story puts it into the story’s lists at once', async () => {
      const fresh = await makeArticle(t, s, {
        headline: 'Kessel dam: engineers inspect flood damage',
        bodyHtml: FLOOD(4),
        tags: [{ kind: 'topic', name: 'Floods' }],
      });
      story.push(fresh);
      for (const id of story.slice(0, 3)) assert.ok((await list(id)).some((i) => i.id === fresh), `in list of ${id}`);
    });

    test('editor pins come first and the engine never removes them', async () => {
      const target = story[0]!;
      await t.services.publishing.setRelated(target, [pin]);
      const items = await list(target);
      assert.equal(items[0]!.id, pin);
      assert.equal(items[0]!.pinned, true);
      assert.ok(items.length > 1, 'engine items follow the pin');
      assert.ok(items.slice(1).every((i) => !i.pinned && i.sort > items[0]!.sort));
      await t.services.relatedEngine.refresh(target);
      await t.services.relatedEngine.articleChanged(story[1]!);
      assert.equal((await list(target))[0]!.id, pin);
      const legacy = (await t.app.inject({ url: `/api/legacy/related/${target}` })).json() as { id: string; sort: string }[];
      assert.equal(legacy[0]!.id, String(pin));
      assert.deepEqual(legacy.map((i) => Number(i.sort)), [...legacy.map((i) => Number(i.sort))].sort((a, b) => a - b));
    });

    test('explain says why each item is there', async () => {
      const res = await t.app.inject({ url: `/api/v1/articles/${story[0]}/related?explain=1` });
      assert.equal(res.statusCode, 200);
      type Why = { pinned: boolean; score: number; components: Record<string, number>; sharedTerms: { term: string }[]; sharedTags: string[]; sharedEntities: string[] };
      const items = res.json().items as { id: number; why: Why }[];
      assert.equal(items[0]!.why.pinned, true);
      const engineItem = items.find((i) => i.id === story[1])!;
      assert.ok(engineItem.why.score > 0);
      assert.ok(engineItem.why.components.text! > 0 && engineItem.why.components.coherence! > 0, JSON.stringify(engineItem.why));
      // Engine items are explained with the score they were stored with.
      const stored = await sql<{ related_id: number; score: number }>`select related_id, score from related where article_id = ${story[0]} and pinned = 0`.execute(t.handle.db);
      assert.ok(stored.rows.some((row) => items.some((i) => i.id === row.related_id)));
      for (const row of stored.rows) {
        const why = items.find((i) => i.id === row.related_id)?.why;
        if (why) assert.ok(Math.abs(why.score - Number(row.score)) < 1e-3, `${row.related_id}: ${why.score} vs stored ${row.score}`);
      }
      assert.ok(engineItem.why.sharedTerms.some((x) => x.term === 'kessel'));
      assert.deepEqual(engineItem.why.sharedTags, ['Floods']);
      assert.ok(engineItem.why.sharedEntities.length > 0, JSON.stringify(engineItem.why));
      const plain = await t.app.inject({ url: `/api/v1/articles/${story[0]}/related` });
      assert.ok(!('why' in plain.json().items[0]));
      assert.equal((await t.app.inject({ url: `/api/v1/articles/${story[0]}/related?explain=maybe` })).statusCode, 400);
    });

    test('entities are offered as tag suggestions', async () => {
      const res = await t.app.inject({ url: `/api/v1/articles/${story[0]}/entities` });
      assert.equal(res.statusCode, 200);
      const items = res.json().items as { kind: string; name: string; tagged: boolean }[];
      assert.ok(items.some((e) => e.kind === 'organisation' && e.name === 'Red Crescent Society'), JSON.stringify(items));
      assert.ok(items.some((e) => e.kind === 'place' && e.name === 'Testville'));
      assert.equal((await t.app.inject({ url: '/api/v1/articles/999999/entities' })).statusCode, 404);
    });

    test('unpublishing removes an article from every list; embargoed items never enter', async () => {
      const gone = story[1]!;
      await sql`update articles set status = 'unpublished' where id = ${gone}`.execute(t.handle.db);
      await t.services.publishing.notifyChanged(gone);
      const stored = await sql<{ n: number }>`select count(*) as n from related where related_id = ${gone} and pinned = 0`.execute(t.handle.db);
      assert.equal(Number(stored.rows[0]!.n), 0);
      for (const id of [story[0]!, story[2]!, story[3]!]) assert.ok(!(await list(id)).some((i) => i.id === gone));
      const embargoed = await makeArticle(t, s, { headline: 'Kessel dam flooding: embargoed report', bodyHtml: FLOOD(9), publishedAt: t.clock.now + DAY, tags: [{ kind: 'topic', name: 'Floods' }] });
      for (const id of [story[0]!, story[2]!]) {
        await t.services.relatedEngine.refresh(id);
        assert.ok(!(await t.services.relatedEngine.compute(id)).some((c) => c.id === embargoed));
      }
    });

    test('a video item is brought into a full list when one qualifies', async () => {
      const video = await makeArticle(t, s, { headline: 'Video: the Kessel reservoir from the air', bodyHtml: FLOOD(5), contentTypeId: 22, tags: [{ kind: 'topic', name: 'Floods' }] });
      t.services.relatedEngine.options.listSize = 1;
      try {
        const top = await t.services.relatedEngine.compute(story[0]!);
        assert.equal(top.length, 1);
        assert.equal(top[0]!.id, video);
      } finally {
        t.services.relatedEngine.options.listSize = 8;
      }
    });
  });
}
