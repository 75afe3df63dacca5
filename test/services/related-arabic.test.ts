import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { yarppRelated } from '../../bench/yarpp-baseline.js';
import { modelProbability } from '../../src/domain/related-model.js';
import { DEFAULT_RELATED_WEIGHTS, type ScoredCandidate } from '../../src/domain/related-scoring.js';
import { DIALECTS, createTestDb, type TestDb } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';

const DAY = 86_400_000;

/** A small Arabic corpus written for this test: four stories on each of three subjects. */
const CORPUS: { label: string; headline: string; body: string }[] = [
  { label: 'football', headline: 'الفريق الأول يفوز في نهائي الكأس', body: 'سجل المهاجم هدفين في الشوط الثاني وقاد فريقه إلى الفوز بكأس الدوري أمام جماهير ملأت الملعب. وقال المدرب إن اللاعبين قدموا مباراة كبيرة.' },
  { label: 'football', headline: 'المدرب يعلن تشكيلة المنتخب', body: 'أعلن مدرب المنتخب أسماء اللاعبين المشاركين في التصفيات، وضمت القائمة ثلاثة مهاجمين جدد وحارس مرمى شاب من الدوري المحلي.' },
  { label: 'football', headline: 'إصابة قائد الفريق قبل المباراة', body: 'غاب قائد الفريق عن التدريبات بسبب إصابة في الركبة، ويخشى المدرب أن يفتقده الفريق في مباراة الكأس المقبلة أمام منافسه على الملعب.' },
  { label: 'football', headline: 'جماهير النادي تحتفل باللقب', body: 'خرجت جماهير النادي إلى الشوارع بعد أن حسم الفريق لقب الدوري بهدف في الدقائق الأخيرة من المباراة، وأشاد اللاعبون بدعم الجماهير في الملعب.' },
  { label: 'rain', headline: 'أمطار غزيرة تغمر الشوارع', body: 'تسببت الأمطار الغزيرة في غرق شوارع المدينة وتعطل حركة السير، وحذرت الأرصاد الجوية من سيول في الأودية خلال الساعات المقبلة.' },
  { label: 'rain', headline: 'الأرصاد تحذر من عاصفة ممطرة', body: 'توقعت دائرة الأرصاد الجوية هطول أمطار رعدية غزيرة مع رياح قوية، ودعت السكان إلى الابتعاد عن مجاري السيول والأودية.' },
  { label: 'rain', headline: 'السيول تقطع طريقا ريفيا', body: 'جرفت السيول جزءا من الطريق الريفي بعد ليلة من الأمطار، وعملت فرق الدفاع المدني على إنقاذ عائلات حاصرتها المياه في القرى.' },
  { label: 'rain', headline: 'المزارعون يرحبون بموسم الأمطار', body: 'قال مزارعون إن الأمطار الغزيرة هذا الشتاء ملأت السدود وروت الأراضي، لكن السيول أتلفت بعض المحاصيل في الأودية المنخفضة.' },
  { label: 'oil', headline: 'أسعار النفط ترتفع في الأسواق', body: 'ارتفعت أسعار النفط الخام في الأسواق العالمية بعد تراجع المخزونات، وقال محللون إن الطلب على البرميل سيزيد مع قرار خفض الإنتاج.' },
  { label: 'oil', headline: 'أوبك تبحث خفض الإنتاج', body: 'يجتمع وزراء الدول المصدرة للنفط لبحث خفض الإنتاج بعد هبوط الأسعار، وتتوقع الأسواق اتفاقا يقلص المعروض من الخام.' },
  { label: 'oil', headline: 'صادرات الخام تتراجع الشهر الماضي', body: 'تراجعت صادرات النفط الخام بسبب أعمال صيانة في المصافي، ما دفع أسعار البرميل إلى الارتفاع في الأسواق الآسيوية.' },
  { label: 'oil', headline: 'شركة الطاقة تعلن اكتشاف حقل جديد', body: 'أعلنت شركة الطاقة الوطنية اكتشاف حقل نفط جديد قد يرفع الإنتاج والصادرات، وقال وزير النفط إن الأسعار الحالية تشجع على الاستثمار.' },
];

const precisionAt4 = (ranked: number[], relevant: (id: number) => boolean) => ranked.slice(0, 4).filter(relevant).length / 4;

for (const engine of DIALECTS) {
  describe(`related stories in Arabic on ${engine}`, () => {
    let t: TestDb;
    const labelOf = new Map<number, string>();

    before(async () => {
      t = await createTestDb(engine);
      const s = await makeSection(t);
      for (const [i, story] of CORPUS.entries()) {
        const id = await makeArticle(t, s, { language: 'ar', headline: story.headline, bodyHtml: `<p>${story.body}</p>`, publishedAt: t.clock.now - (i + 1) * DAY });
        labelOf.set(id, story.label);
      }
    });
    after(() => t.cleanup());

    /** Mean precision@4 of the engine's lists and of the YARPP-style baseline's over every story; `each` sees each engine list. */
    const precisions = async (each: (list: ScoredCandidate[]) => void = () => {}) => {
      const ids = [...labelOf.keys()];
      const yarpp = yarppRelated(CORPUS.map((story, i) => ({ id: ids[i]!, title: story.headline, body: story.body, tags: [] })));
      let engineP = 0;
      let yarppP = 0;
      for (const id of ids) {
        const list = await t.services.relatedEngine.compute(id);
        each(list);
        const relevant = (other: number) => labelOf.get(other) === labelOf.get(id);
        engineP += precisionAt4(list.map((c) => c.id), relevant);
        yarppP += precisionAt4(yarpp(id), relevant);
      }
      return { engine: engineP / ids.length, yarpp: yarppP / ids.length };
    };

    test('the engine’s precision@4 is at least the YARPP-style baseline’s', async () => {
      const p = await precisions();
      assert.ok(p.engine >= p.yarpp, `engine ${p.engine} vs YARPP-style ${p.yarpp}`);
      assert.ok(p.engine >= 0.5, `engine precision@4 ${p.engine}`);
    });

    test('with semantic vectors an Arabic list is ranked by the Arabic model, rare words included, and still beats the baseline', async () => {
      const model = DEFAULT_RELATED_WEIGHTS.semanticModelByLanguage.ar;
      assert.ok(model && model.weights.rare > 0, 'the Arabic model weighs the rare-words signal');
      t.services.relatedEngine.options.vectorDims = 4;
      await t.services.relatedEngine.buildVectors();
      const p = await precisions((list) => {
        for (const c of list) {
          assert.ok(c.features.rare >= 0 && c.features.rare <= 1, `rare ${c.features.rare}`);
          assert.ok(Math.abs(c.score - modelProbability(model, c.features)) < 1e-12, 'scored by the Arabic semantic model');
        }
      });
      assert.ok(p.engine >= p.yarpp, `engine ${p.engine} vs YARPP-style ${p.yarpp}`);
    });
  });
}
