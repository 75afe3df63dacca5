import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeImage, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

type ApiBlock = { kind: string; title: string; section: { slug: string } | null; tag: { slug: string } | null; articles: { id: number }[]; placed: number };
/** The headings of the home page's blocks, in page order. */
const blockHeadings = (html: string) => [...html.matchAll(/<section class="block front-block[^"]*"[^>]*><h2[^>]*>(?:<a[^>]*>)?([^<]*)/g)].map((m) => m[1]);

for (const engine of DIALECTS) {
  describe(`front blocks on ${engine}`, () => {
    let t: TestApp;
    let world: number;
    let sport: number;
    let elections: number;
    const story: Record<string, number> = {};
    let editor: Client;
    let author: Client;

    before(async () => {
      t = await createTestApp(engine);
      world = await makeSection(t, 'world', 'World');
      sport = await makeSection(t, 'sport', 'Sport');
      const hour = 3_600_000;
      story.lead = await makeArticle(t, world, { headline: 'World lead with picture', publishedAt: t.clock.now - 10 * hour, leadMediaId: await makeImage(t, '2026/11/20/b_1_25f_4x3.jpg') });
      for (let i = 1; i <= 5; i++) story[`world${i}`] = await makeArticle(t, world, { headline: `World story ${i}`, publishedAt: t.clock.now - (20 + i) * hour });
      for (let i = 1; i <= 5; i++) story[`sport${i}`] = await makeArticle(t, sport, { headline: `Sport story ${i}`, publishedAt: t.clock.now - (30 + i) * hour });
      for (let i = 1; i <= 3; i++) {
        story[`vote${i}`] = await makeArticle(t, i === 2 ? sport : world, { headline: `Vote story ${i}`, publishedAt: t.clock.now - (40 + i) * hour, tags: [{ kind: 'topic', name: 'Elections' }] });
      }
      elections = (await t.services.catalog.findTag('elections'))!.id;
      editor = await login(t.app, await makeUser(t, 'editor'));
      author = await login(t.app, await makeUser(t, 'author'));
    });
    after(() => t.cleanup());

    const publicFront = async (name: string) => {
      const res = await t.app.inject(`/api/v1/fronts/${name}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { revision: number; lead: { id: number }; top: { id: number }[]; blocks: ApiBlock[] };
    };

    test('a home page never arranged keeps a block per section in navigation order, without the stories above', async () => {
      const admin = (await editor.get('/api/admin/fronts/home')).json();
      assert.equal(admin.blocks, null, 'never arranged');
      assert.deepEqual(admin.automaticBlocks.map((b: { kind: string; source: { slug: string } }) => `${b.kind}:${b.source.slug}`), ['section:world', 'section:sport']);
      const home = await publicFront('home');
      assert.deepEqual(home.blocks.map((b) => b.title), ['World', 'Sport']);
      const above = new Set([home.lead.id, ...home.top.map((a) => a.id)]);
      for (const [i, sectionId] of [world, sport].entries()) {
        const newest = (await t.services.repos.articles.listVisible({ sectionId }, { limit: 50 }, t.clock.now)).map((a) => a.id);
        const expected = newest.filter((id) => !above.has(id)).slice(0, 4);
        assert.ok(expected.length > 0);
        assert.deepEqual(home.blocks[i]!.articles.map((a) => a.id), expected, 'the newest of the section not shown above, four at most');
      }
      const page = await t.app.inject('/');
      assert.deepEqual(blockHeadings(page.body), ['World', 'Sport']);
      const keys = String(page.headers['surrogate-key']).split(' ');
      for (const k of ['front-home', `section-${world}`, `section-${sport}`, 'latest']) assert.ok(keys.includes(k), `missing ${k}`);
    });

    test('an editor arranges home blocks; the next request shows them in order, each story once', async () => {
      const until = new Date(t.clock.now + 3_600_000).toISOString();
      const res = await editor.put('/api/admin/fronts/home', {
        revision: 0,
        lead: { articleId: story.world1 },
        top: [],
        blocks: [
          { kind: 'curated', title: 'Editor picks', items: [{ articleId: story.sport5 }, { articleId: story.world5, expiresAt: until }] },
          { kind: 'tag', tagId: elections, count: 2 },
          { kind: 'section', sectionId: sport, title: 'Sport today', count: 3 },
        ],
      });
      assert.equal(res.statusCode, 200, res.body);
      const saved = res.json();
      assert.equal(saved.revision, 1);
      assert.deepEqual(saved.blocks.map((b: { kind: string }) => b.kind), ['curated', 'tag', 'section']);
      assert.equal(saved.blocks[0].items[1].expiresAt, until);
      assert.equal(saved.blocks[1].source.name, 'Elections');

      const home = await publicFront('home');
      assert.deepEqual(home.blocks.map((b) => b.title), ['Editor picks', 'Elections', 'Sport today']);
      assert.deepEqual(home.blocks[0]!.articles.map((a) => a.id), [story.sport5, story.world5]);
      assert.equal(home.blocks[0]!.placed, 2);
      assert.deepEqual(home.blocks[1]!.articles.map((a) => a.id), [story.vote1, story.vote2]);
      assert.equal(home.blocks[1]!.tag?.slug, 'elections');
      const sportBlock = home.blocks[2]!.articles.map((a) => a.id);
      // Sport 1 and 2 fill the top, Sport 5 is hand-picked, Vote 2 is in the topic block: Sport 3 and 4 are left.
      assert.deepEqual(sportBlock, [story.sport3, story.sport4]);
      const everywhere = [home.lead.id, ...home.top.map((a) => a.id), ...home.blocks.flatMap((b) => b.articles.map((a) => a.id))];
      assert.equal(new Set(everywhere).size, everywhere.length, 'no story shows twice on the front');
      assert.ok(!sportBlock.includes(story.sport5!) && !sportBlock.includes(story.vote2!), 'the section block leaves placed and earlier stories out');

      const page = await t.app.inject('/');
      assert.deepEqual(blockHeadings(page.body), ['Editor picks', 'Elections', 'Sport today']);
      assert.match(page.body, /<h2 id="block-home-2"><a href="\/topic\/elections">Elections<\/a><\/h2>/);
      const keys = String(page.headers['surrogate-key']).split(' ');
      for (const k of ['front-home', `tag-${elections}`, `section-${sport}`, `article-${story.sport5}`, `article-${story.vote1}`]) assert.ok(keys.includes(k), `missing ${k} in ${keys.join(' ')}`);
      assert.ok(!keys.includes(`section-${world}`), 'no world block any more');
      const latest = /<section class="block" aria-labelledby="latest-title">[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
      assert.match(latest, /Sport story 3/, 'Latest lists the newest stories');
      assert.doesNotMatch(latest, /Sport story 5|World story 5/, 'but not those an editor placed in a hand-picked block');
    });

    test('a hand-picked placement leaves its block after its expiry', async () => {
      t.clock.set(t.clock.now + 2 * 3_600_000);
      try {
        t.services.contentCache.clear();
        const home = await publicFront('home');
        assert.deepEqual(home.blocks[0]!.articles.map((a) => a.id), [story.sport5]);
      } finally {
        t.clock.set(t.clock.now - 2 * 3_600_000);
        t.services.contentCache.clear();
      }
    });

    test('saving without blocks keeps them; null goes back to automatic', async () => {
      const kept = await editor.put('/api/admin/fronts/home', { revision: 1, lead: { articleId: story.world2 }, top: [] });
      assert.equal(kept.statusCode, 200, kept.body);
      assert.equal(kept.json().blocks.length, 3);
      const automatic = await editor.put('/api/admin/fronts/home', { revision: 2, lead: { articleId: story.world2 }, top: [], blocks: null });
      assert.equal(automatic.json().blocks, null);
      assert.deepEqual((await publicFront('home')).blocks.map((b) => b.title), ['World', 'Sport']);
    });

    test('revision history says what changed; restoring a revision saves it as the newest, audited', async () => {
      const revs = (await editor.get('/api/admin/fronts/home/revisions')).json();
      assert.deepEqual(revs.items.map((r: { revision: number }) => r.revision), [3, 2, 1]);
      assert.deepEqual(revs.items[0].changes, ['Went back to automatic blocks.']);
      assert.deepEqual(revs.items[1].changes, ['Made "World story 2" the lead instead of "World story 1".']);
      assert.ok(revs.items[2].changes.includes('Added the hand-picked block "Editor picks".'), revs.items[2].changes.join(' | '));
      assert.ok(revs.items[2].changes.includes('Added the topic Elections block.'));
      assert.match(revs.items[2].actorName, /\w/);

      const stale = await editor.post('/api/admin/fronts/home/revisions/1/restore', { revision: 2 });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.json().detail, /Someone saved the Home front since you opened it/);
      assert.equal((await author.post('/api/admin/fronts/home/revisions/1/restore', { revision: 3 })).statusCode, 403);
      const missing = await editor.post('/api/admin/fronts/home/revisions/99/restore', { revision: 3 });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.json().detail, /The Home front has no revision 99/);

      // Two hours on, the hand-picked "World story 5" (placed for one hour) has expired.
      t.clock.set(t.clock.now + 2 * 3_600_000);
      let restored;
      try {
        restored = await editor.post('/api/admin/fronts/home/revisions/1/restore', { revision: 3 });
      } finally {
        t.clock.set(t.clock.now - 2 * 3_600_000);
      }
      assert.equal(restored.statusCode, 200, restored.body);
      assert.equal(restored.json().leftOut.length, 1);
      assert.match(restored.json().leftOut[0], /^"World story 5" was placed until .*, which has passed; it is left out\.$/);
      assert.deepEqual(restored.json().blocks[0].items.map((p: { articleId: number }) => p.articleId), [story.sport5]);
      assert.equal(restored.json().revision, 4);
      assert.equal(restored.json().lead.articleId, story.world1);
      const home = await publicFront('home');
      assert.equal(home.lead.id, story.world1);
      assert.deepEqual(home.blocks.map((b) => b.title), ['Editor picks', 'Elections', 'Sport today']);
      const audit = await t.services.newsroom.audit.list(50);
      const entry = audit.items.find((e) => e.action === 'front.restore');
      assert.ok(entry, 'an audit entry for the restore');
      assert.equal(entry.subject, 'front:home');
      assert.match(entry.detail ?? '', /"restoredFrom":1/);
      const latest = (await editor.get('/api/admin/fronts/home/revisions')).json().items[0];
      assert.ok(latest.changes.includes('Made "World story 1" the lead instead of "World story 2".'), latest.changes.join(' | '));
    });

    test('a section front with a topic block: on /section/world page 1 and in the content API, with the topic\'s key', async () => {
      const res = await editor.put('/api/admin/fronts/world', { revision: 0, lead: null, top: [], blocks: [{ kind: 'tag', tagId: elections, title: 'Vote 2026', count: 3 }] });
      assert.equal(res.statusCode, 200, res.body);
      const api = await publicFront('world');
      assert.equal(api.blocks[0]!.title, 'Vote 2026');
      const shownAbove = new Set([api.lead.id, ...api.top.map((a) => a.id)]);
      assert.ok(api.blocks[0]!.articles.every((a) => !shownAbove.has(a.id)));
      assert.ok(api.blocks[0]!.articles.some((a) => a.id === story.vote2), 'a topic block takes the topic from every section');
      const page = await t.app.inject('/section/world');
      assert.match(page.body, /<h2 id="block-world-1"><a href="\/topic\/elections">Vote 2026<\/a><\/h2>/);
      assert.match(String(page.headers['surrogate-key']), new RegExp(`\\btag-${elections}\\b`));
    });

    test('bad blocks get messages an editor understands', async () => {
      const current = (await editor.get('/api/admin/fronts/home')).json().revision;
      const put = (blocks: unknown[]) => editor.put('/api/admin/fronts/home', { revision: current, lead: null, top: [], blocks });
      const untitled = await put([{ kind: 'curated', title: ' ', items: [] }]);
      assert.equal(untitled.statusCode, 422);
      assert.equal(untitled.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.match(untitled.json().detail, /Hand-picked block 1 needs a title/);
      const noSection = await put([{ kind: 'section', count: 3 }]);
      assert.equal(noSection.statusCode, 400);
      assert.match(noSection.json().detail, /A section block needs a section; choose one for block 1/);
      const unknown = await put([{ kind: 'section', sectionId: 999999 }, { kind: 'tag', tagId: 999999 }]);
      assert.equal(unknown.statusCode, 422);
      assert.match(unknown.json().detail, /Block 1 shows section 999999, which does not exist/);
      assert.match(unknown.json().detail, /Block 2 shows topic 999999, which does not exist/);
      const twice = await put([{ kind: 'curated', title: 'A', items: [{ articleId: story.world3 }] }, { kind: 'curated', title: 'B', items: [{ articleId: story.world3 }] }]);
      assert.equal(twice.statusCode, 422);
      assert.match(twice.json().detail, new RegExp(`Story ${story.world3} is placed twice`));
      const itemsOnSection = await put([{ kind: 'section', sectionId: world, items: [{ articleId: story.world3 }] }]);
      assert.equal(itemsOnSection.statusCode, 400);
      assert.match(itemsOnSection.json().detail, /Only hand-picked blocks hold placed stories/);
      const badTime = await put([{ kind: 'curated', title: 'A', items: [{ articleId: story.world3, expiresAt: 'soon' }] }]);
      assert.equal(badTime.statusCode, 400);
      assert.match(badTime.json().detail, /The expiry of story 1 of block 1 \("soon"\) is not a date and time/);
      assert.equal((await author.put('/api/admin/fronts/home', { revision: current, lead: null, top: [], blocks: [] })).statusCode, 403);
      assert.equal((await editor.get('/api/admin/fronts/home')).json().revision, current, 'nothing was saved');
    });
  });
}
