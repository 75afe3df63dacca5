import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection, makeSubjectStories } from '../helpers/factories.js';

const DAY = 86_400_000;
const PROMO = 'Listen to the morning round-up of the national news, brought to you every day by Radio Zephyrine';

/** Stories on four subjects, three each, every one of them carrying the station's promo line. */
const SUBJECTS: Record<string, string[]> = {
  cocoa: [
    'Cocoa growers in Bahia expect a larger harvest after heavy rains reached the plantations.',
    'Bahia cocoa exporters raise their harvest estimate as rains return to the plantations.',
    'Cocoa futures fall on news of a larger Bahia harvest and plentiful rains on plantations.',
  ],
  opec: [
    'OPEC oil ministers meet in Vienna to discuss crude output quotas for the winter.',
    'Crude oil prices climb as OPEC ministers in Vienna agree to trim output quotas.',
    'Saudi oil minister says OPEC output quotas will hold through the winter, crude steady.',
  ],
  football: [
    'The striker scored twice as the club won the cup final in front of a full stadium.',
    'Club captain injured before the cup final; the coach hopes the striker will be fit.',
    'Supporters fill the stadium as the club lifts the league cup after a late striker goal.',
  ],
  storms: [
    'Storm floods coastal roads; forecasters warn of gale winds and more severe flooding.',
    'Forecasters issue a gale warning as floods close coastal roads before the storm.',
    'Coastal towns clear flood debris after the storm; gale winds ease, forecasters say.',
  ],
};

for (const engine of DIALECTS) {
  describe(`related stories without filler on ${engine}`, () => {
    let t: TestDb;
    const subjectOf = new Map<number, string>();
    let loner = 0;

    before(async () => {
      t = await createTestDb(engine);
      const s = await makeSection(t);
      // Same day for all: recency cannot tell them apart.
      for (const [id, subject] of await makeSubjectStories(t, s, SUBJECTS, { extraHtml: `<p>${PROMO}</p>`, source: 'Reuters' })) subjectOf.set(id, subject);
      loner = await makeArticle(t, s, { headline: 'Museum restores a medieval tapestry', bodyHtml: `<p>Conservators spent three years restoring the embroidered tapestry, stitch by stitch.</p><p>${PROMO}</p>`, source: 'Reuters', publishedAt: t.clock.now - DAY });
      await t.services.search.reindex();
      for (const id of [...subjectOf.keys(), loner]) await t.services.relatedEngine.refresh(id);
    });
    after(() => t.cleanup());

    test('the promo line repeated in every story is boilerplate: out of the index, linking nothing', async () => {
      assert.equal((await t.services.search.search({ q: 'Zephyrine' })).total, 0);
      assert.ok((await t.services.search.search({ q: 'tapestry' })).total >= 1);
      // A story published after the rebuild loses the line too.
      const s = await makeSection(t, 'late', 'Late');
      const late = await makeArticle(t, s, { headline: 'Bahia cocoa harvest update', bodyHtml: `<p>Bahia cocoa harvest news.</p><p>${PROMO}</p>` });
      await t.services.search.index(late);
      subjectOf.set(late, 'cocoa');
      assert.equal((await t.services.search.search({ q: 'Zephyrine' })).total, 0);
      assert.equal((await t.services.search.search({ q: 'harvest update' })).total, 1);
    });

    test('a story that shares nothing but the date and the promo gets an empty box, and enters no other box', async () => {
      assert.deepEqual((await t.services.relatedEngine.compute(loner)).map((c) => c.id), []);
      for (const id of subjectOf.keys()) {
        const list = (await t.services.relatedEngine.compute(id)).map((c) => c.id);
        assert.ok(!list.includes(loner), `story ${id} lists the unrelated story`);
        assert.ok(list.length >= 1, `story ${id} finds its own subject`);
        for (const other of list) assert.equal(subjectOf.get(other), subjectOf.get(id), `story ${id} (${subjectOf.get(id)}) lists ${other} (${subjectOf.get(other)})`);
      }
    });

    test('the agency and the site are never entities', async () => {
      for (const id of [...subjectOf.keys(), loner]) {
        const names = (await t.services.search.tagSuggestions(id, { visibleOnly: false })).map((e) => e.name);
        assert.ok(!names.some((n) => /Reuters|Dateline/i.test(n)), names.join(', '));
      }
    });
  });

  describe(`same language first on ${engine}`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(engine);
    });
    after(() => t.cleanup());

    test('an Arabic article lists Arabic stories before an English one that matches better', async () => {
      const s = await makeSection(t);
      const body = 'الحكومة التونسية تعلن خطة جديدة لدعم الفلاحين في ولاية سوسة بعد موسم الجفاف';
      const source = await makeArticle(t, s, { language: 'ar', headline: 'خطة لدعم الفلاحين في سوسة', bodyHtml: `<p>${body} Sousse farmers drought plan</p>` });
      const english = await makeArticle(t, s, { language: 'en', headline: 'Sousse farmers drought plan', bodyHtml: '<p>Sousse farmers drought plan announced by the government, Sousse farmers drought plan.</p>' });
      const arabic = await makeArticle(t, s, { language: 'ar', headline: 'الفلاحون في سوسة ينتظرون الدعم', bodyHtml: `<p>ينتظر الفلاحون في ولاية سوسة خطة الحكومة بعد موسم الجفاف</p>` });
      const list = (await t.services.relatedEngine.compute(source)).map((c) => c.id);
      assert.ok(list.includes(english) && list.includes(arabic), `list ${list}`);
      assert.ok(list.indexOf(arabic) < list.indexOf(english), `list ${list}`);
    });
  });
}
