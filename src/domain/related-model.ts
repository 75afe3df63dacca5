/**
 * The learned part of related-story ranking: a logistic model over the signals the
 * scorer measures for each candidate. Its weights are constants learned from the tune
 * halves of the labelled corpora (`npm run eval:related -- --split tune --learn`); the
 * score it gives is the modelled probability that a candidate is about the same subject.
 */

/** The signals of one candidate, each roughly within 0..1. */
export const RELATED_FEATURES = [
  'text',
  'coherence',
  /** Agreement with the 5 best matches alone (the story, where `coherence` is the subject). */
  'near',
  'headline',
  'tags',
  'entities',
  /** 2^(−days apart / half-life): 1 for the same moment, towards 0 for a distant one. */
  'recent',
  'sameLanguage',
  /** Text similarity and agreement as shares of the best candidate's: where an item stands among this source's candidates. */
  'textShare',
  'coherenceShare',
  /** |ln(candidate length / source length)|, capped at 3: a brief and a long feature differ in kind. */
  'lengthGap',
  /** Cosine of the two articles' semantic vectors (latent semantic analysis, `related-vectors.ts`); 0 without vectors. */
  'semantic',
  /** The same as a share of the best candidate's. */
  'semanticShare',
  /** Cosine with the summed vectors of the 5 best matches by text (the story's semantic centre), its own left out. */
  'semanticNear',
  /** BM25 for the source's 10 rarest terms alone, as a share of the source's own: rare words shared, whatever the neighbourhood shares. */
  'rare',
] as const;

export type RelatedFeature = (typeof RELATED_FEATURES)[number];
export type RelatedFeatures = Record<RelatedFeature, number>;

export interface RelatedModel {
  bias: number;
  weights: RelatedFeatures;
  /** Items the model gives a lower probability of being related are left out. */
  minProbability: number;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The model's probability that a candidate with these signals is related. */
export function modelProbability(model: RelatedModel, f: RelatedFeatures): number {
  let z = model.bias;
  for (const name of RELATED_FEATURES) z += model.weights[name] * f[name];
  return sigmoid(z);
}

/**
 * Fits a logistic model by full-batch gradient descent with L2 regularisation (a dozen
 * features and a few hundred thousand examples: a second of work, no library needed).
 * Each example carries a weight, so every query can count the same however many
 * candidates it has. Features are standardised while fitting and the weights mapped back.
 */
export function fitLogistic(
  examples: readonly { features: RelatedFeatures; relevant: boolean; weight: number }[],
  { epochs = 400, rate = 0.5, l2 = 1e-4 }: { epochs?: number; rate?: number; l2?: number } = {},
): Omit<RelatedModel, 'minProbability'> {
  const k = RELATED_FEATURES.length;
  const n = examples.length;
  const mean = new Float64Array(k);
  const sd = new Float64Array(k);
  const x = new Float64Array(n * k);
  let totalWeight = 0;
  for (const e of examples) totalWeight += e.weight;
  examples.forEach((e, i) => RELATED_FEATURES.forEach((f, j) => (x[i * k + j] = e.features[f])));
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * k + j]!;
    mean[j] = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i * k + j]! - mean[j]!) ** 2;
    sd[j] = Math.sqrt(v / n) || 1;
    for (let i = 0; i < n; i++) x[i * k + j] = (x[i * k + j]! - mean[j]!) / sd[j]!;
  }
  const w = new Float64Array(k);
  let b = 0;
  const grad = new Float64Array(k);
  for (let epoch = 0; epoch < epochs; epoch++) {
    grad.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let z = b;
      for (let j = 0; j < k; j++) z += w[j]! * x[i * k + j]!;
      const e = examples[i]!;
      const err = (sigmoid(z) - (e.relevant ? 1 : 0)) * e.weight;
      gb += err;
      for (let j = 0; j < k; j++) grad[j]! += err * x[i * k + j]!;
    }
    b -= (rate * gb) / totalWeight;
    for (let j = 0; j < k; j++) w[j]! -= rate * (grad[j]! / totalWeight + l2 * w[j]!);
  }
  // Back to raw features: w·(x − mean)/sd + b.
  const weights = {} as RelatedFeatures;
  let bias = b;
  RELATED_FEATURES.forEach((f, j) => {
    weights[f] = w[j]! / sd[j]!;
    bias -= (w[j]! * mean[j]!) / sd[j]!;
  });
  return { bias, weights };
}
