import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RelatedModel } from '../../src/domain/related-model.js';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection, modelOf } from '../helpers/factories.js';

const DAY = 86_400_000;
/** Words in the source and in one other story only. */
const RARE = ['zeppelin', 'okapi'];
/** Words in the source and two filler stories each. */
const MEDIUM = ['lantern', 'harbour', 'violin', 'glacier', 'falcon', 'quarry', 'saffron', 'tundra'];
/** Words in the source and in most stories. */
const COMMON = ['market', 'council', 'budget', 'school', 'hospital', 'traffic', 'weather', 'police', 'festival', 'museum'];

for (const engine of DIALECTS) {
  describe(`the rare-words signal on ${engine}`, () => {
    let t: TestDb;
    let source: number;
    let sharesRare: number;
    let sharesCommon: number;

    before(async () => {
      t = await createTestDb(engine);
      const s = await makeSection(t);
      for (let i = 0; i < 16; i++) {
        const common = COMMON.map((_, j) => COMMON[(i + j) % COMMON.length]!).slice(0, 6);
        await makeArticle(t, s, { headline: `Town notes ${i}`, bodyHtml: `<p>${[...common, MEDIUM[i % MEDIUM.length]!].join(' ')}</p>`, publishedAt: t.clock.now - 5 * DAY - i * 60_000 });
      }
      // The source has 20 words: its 10 rarest are the rare and medium ones. One story shares
      // its two rarest words and nothing else; another shares its ten commonest, more text.
      source = await makeArticle(t, s, { headline: 'Weekly digest', bodyHtml: `<p>${[...RARE, ...MEDIUM, ...COMMON].join(' ')}</p>`, publishedAt: t.clock.now - DAY });
      sharesRare = await makeArticle(t, s, { headline: 'Workshop diary', bodyHtml: `<p>${RARE.join(' ')} pottery ceramics kiln</p>`, publishedAt: t.clock.now - DAY });
      sharesCommon = await makeArticle(t, s, { headline: 'City notes', bodyHtml: `<p>${COMMON.join(' ')}</p>`, publishedAt: t.clock.now - DAY });
    });
    after(() => t.cleanup());

    const scored = async (model: RelatedModel) => {
      const all = await t.services.relatedEngine.scoreAll(source, { ...t.services.relatedEngine.options.weights, model, modelByLanguage: {}, semanticModel: null, semanticModelByLanguage: {} });
      return { ids: all.map((c) => c.id), item: (id: number) => all.find((c) => c.id === id)! };
    };

    test('it measures the source’s rarest words shared, not the common ones', async () => {
      const { item } = await scored(modelOf({ text: 1 }));
      const rare = item(sharesRare).features;
      const common = item(sharesCommon).features;
      assert.equal(common.rare, 0, 'the ten commonest words are not among the rarest ten');
      assert.ok(rare.rare > 0.1 && rare.rare <= 1, `rare ${rare.rare}`);
      assert.ok(common.text > rare.text, `text ${common.text} vs ${rare.text}`);
    });

    test('weighted by a model, it lifts the story sharing the rare words above the one sharing more words', async () => {
      const text = await scored(modelOf({ text: 1 }));
      assert.ok(text.ids.indexOf(sharesCommon) < text.ids.indexOf(sharesRare), 'by text alone the common words win');
      const both = await scored(modelOf({ text: 1, rare: 5 }));
      assert.equal(both.ids[0], sharesRare);
    });
  });
}
