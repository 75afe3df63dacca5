/**
 * `npm run eval:related -- --split tune --learn`: fits the related engine's logistic
 * model (`src/domain/related-model.ts`) on the chosen split's candidates, relevant when
 * they share a label with the query, and prints it as the constants to ship.
 */
import { fitLogistic, RELATED_FEATURES, type RelatedFeatures, type RelatedModel } from '../src/domain/related-model.js';
import { hasEvidence } from '../src/domain/related-scoring.js';
import type { RelatedEngineService } from '../src/services/related-engine.service.js';

export interface LearnOptions {
  /**
   * pointwise: each candidate relevant or not (a calibrated probability); pairwise: each
   * relevant candidate against each irrelevant one of the same query (RankNet with a
   * linear scorer: what matters is the order within a list, not across queries).
   */
  mode: 'pointwise' | 'pairwise';
  /** Only the best this many candidates of each query by the hand-set score: the model learns to order the head of the list. */
  head: number;
}

type Example = Parameters<typeof fitLogistic>[0][number];

const difference = (a: RelatedFeatures, b: RelatedFeatures) => Object.fromEntries(RELATED_FEATURES.map((f) => [f, a[f] - b[f]])) as RelatedFeatures;

/** Fits the model over every query's showable candidates; each query weighs the same however many it has. */
export async function learnRelatedModel(
  engine: RelatedEngineService,
  queries: readonly number[],
  relevant: (query: number, candidate: number) => boolean,
  { mode, head }: LearnOptions,
): Promise<Omit<RelatedModel, 'minProbability'>> {
  const examples: Example[] = [];
  const hand = { ...engine.options.weights, model: null, modelByLanguage: {}, semanticModel: null, semanticModelByLanguage: {} };
  for (const q of queries) {
    const shown = (await engine.scoreAll(q, hand)).filter((c) => hasEvidence(c, hand)).slice(0, head);
    const labelled = shown.map((c) => ({ features: c.features, relevant: relevant(q, c.id) }));
    if (mode === 'pointwise') {
      for (const c of labelled) examples.push({ ...c, weight: 1 / labelled.length });
      continue;
    }
    const yes = labelled.filter((c) => c.relevant);
    const no = labelled.filter((c) => !c.relevant);
    for (const a of yes) {
      for (const b of no) {
        const weight = 1 / (yes.length * no.length);
        // Both orders, so the fitted bias stays at zero.
        examples.push({ features: difference(a.features, b.features), relevant: true, weight });
        examples.push({ features: difference(b.features, a.features), relevant: false, weight });
      }
    }
  }
  const positives = examples.filter((e) => e.relevant).length;
  console.log(`\nlearning (${mode}, head ${head}): ${examples.length} examples from ${queries.length} queries, ${positives} positive`);
  const model = fitLogistic(examples);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const shipped = { bias: mode === 'pairwise' ? 0 : round(model.bias), weights: Object.fromEntries(RELATED_FEATURES.map((f) => [f, round(model.weights[f])])) as RelatedModel['weights'] };
  console.log(`learned model: ${JSON.stringify(shipped)}`);
  return shipped;
}
