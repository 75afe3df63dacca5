/**
 * Latent semantic analysis for related stories: a truncated SVD of the archive's
 * tf-idf term-document matrix (each document's distinctive terms), learned at index
 * time, gives every term a short dense vector; an article's vector is the sum of its
 * terms' (fold-in), so stories about one subject meet even when they share few words.
 * Pure: no database, a seeded random source, so a rebuild of the same archive gives
 * the same basis.
 */

/** A document as the index keeps it: its distinctive terms with their frequency. */
export type TermCounts = readonly (readonly [string, number])[];

/** The learned projection: each term's row of the basis, idf already folded in. */
export interface SemanticBasis {
  dims: number;
  /** Term → its `dims` weights (the left singular vector row times the term's idf). */
  vectors: ReadonlyMap<string, Float32Array>;
}

export interface BasisOptions {
  dims: number;
  /** Extra random directions beyond `dims` (randomized SVD's oversampling). */
  oversample: number;
  /** Power iterations: sharper separation of the leading singular values. */
  powerIterations: number;
  /** Terms kept: found in at least this many documents… */
  minDocuments: number;
  /** …and at most this many terms, the most widespread first. */
  maxTerms: number;
  seed: number;
}

export const DEFAULT_BASIS_OPTIONS: BasisOptions = { dims: 128, oversample: 16, powerIterations: 2, minDocuments: 2, maxTerms: 60_000, seed: 1 };

/** Deterministic pseudo-random numbers (mulberry32), turned Gaussian by Box–Muller. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Orthonormalises the columns of a rows × cols matrix (row-major) in place (modified Gram–Schmidt on contiguous column copies); a dependent column becomes zero. */
function orthonormalize(m: Float64Array, rows: number, cols: number): void {
  const columns = Array.from({ length: cols }, (_, j) => {
    const c = new Float64Array(rows);
    for (let i = 0; i < rows; i++) c[i] = m[i * cols + j]!;
    return c;
  });
  for (let j = 0; j < cols; j++) {
    const c = columns[j]!;
    let before = 0;
    for (let i = 0; i < rows; i++) before += c[i]! * c[i]!;
    // Twice: a column nearly inside the span of the previous ones (a small singular
    // value after power iterations) keeps their rounding errors after one pass.
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        const o = columns[p]!;
        let dot = 0;
        for (let i = 0; i < rows; i++) dot += c[i]! * o[i]!;
        for (let i = 0; i < rows; i++) c[i]! -= dot * o[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += c[i]! * c[i]!;
    // A column (nearly) inside the span of the previous ones carries no new direction:
    // zeroed, it adds a zero singular value instead of a normalised rounding error.
    norm = norm > 1e-20 * before ? Math.sqrt(norm) : Infinity;
    for (let i = 0; i < rows; i++) c[i]! /= norm;
    for (let i = 0; i < rows; i++) m[i * cols + j] = c[i]!;
  }
}

/** Eigen-decomposition of a symmetric n × n matrix (cyclic Jacobi): eigenvalues and the eigenvectors as columns. */
function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

/** Log-damped term frequency: a word's tenth use in a text adds little. */
const damp = (f: number) => 1 + Math.log(Math.max(1, f));

/**
 * Learns the basis from a sample of documents: the vocabulary, each term's idf over the
 * sample, and the `dims` leading left singular vectors of the tf-idf matrix (documents
 * scaled to unit length), by randomized SVD (Halko, Martinsson & Tropp 2011). The work
 * is linear in the sample's term occurrences times `dims + oversample`.
 */
export function learnBasis(docs: readonly TermCounts[], options: Partial<BasisOptions> = {}): SemanticBasis {
  const o = { ...DEFAULT_BASIS_OPTIONS, ...options };
  const df = new Map<string, number>();
  for (const d of docs) for (const [t] of d) df.set(t, (df.get(t) ?? 0) + 1);
  const vocabulary = [...df].filter(([, n]) => n >= o.minDocuments).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, o.maxTerms).map(([t]) => t);
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const idf = vocabulary.map((t) => Math.log(1 + (docs.length + 1) / (df.get(t)! + 1)));
  // The sparse matrix by document: term rows and weights (unit length per document).
  const rowsOf: Int32Array[] = [];
  const weightsOf: Float64Array[] = [];
  for (const d of docs) {
    const kept = d.filter(([t]) => index.has(t));
    const rows = Int32Array.from(kept, ([t]) => index.get(t)!);
    const weights = Float64Array.from(kept, ([t, f], i) => damp(f) * idf[rows[i]!]!);
    const norm = Math.sqrt(weights.reduce((a, x) => a + x * x, 0)) || 1;
    for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    rowsOf.push(rows);
    weightsOf.push(weights);
  }
  const terms = vocabulary.length;
  const n = docs.length;
  const l = Math.max(1, Math.min(o.dims + o.oversample, terms, n));
  const k = Math.min(o.dims, l);
  // Y = A Ω (terms × l), then power iterations Y = A (Aᵀ Y), orthonormalised between.
  const random = gaussian(o.seed);
  const omega = new Float64Array(n * l).map(() => random());
  // A × dense (terms × l out of n × l), or Aᵀ × dense (n × l out of terms × l): one walk over the sparse matrix.
  const product = (dense: Float64Array, transpose: boolean): Float64Array => {
    const out = new Float64Array((transpose ? n : terms) * l);
    for (let j = 0; j < n; j++) {
      const rows = rowsOf[j]!;
      const w = weightsOf[j]!;
      for (let x = 0; x < rows.length; x++) {
        const from = transpose ? rows[x]! * l : j * l;
        const to = transpose ? j * l : rows[x]! * l;
        const a = w[x]!;
        for (let c = 0; c < l; c++) out[to + c]! += a * dense[from + c]!;
      }
    }
    return out;
  };
  const times = (dense: Float64Array) => product(dense, false);
  const transposeTimes = (dense: Float64Array) => product(dense, true);
  let q = times(omega);
  orthonormalize(q, terms, l);
  for (let i = 0; i < o.powerIterations; i++) {
    const z = transposeTimes(q);
    orthonormalize(z, n, l);
    q = times(z);
    orthonormalize(q, terms, l);
  }
  // B = Qᵀ A (l × n); B Bᵀ = W Λ Wᵀ; then U = Q W.
  const bt = transposeTimes(q);
  const gram = new Float64Array(l * l);
  for (let j = 0; j < n; j++) {
    for (let a = 0; a < l; a++) {
      const x = bt[j * l + a]!;
      if (x === 0) continue;
      for (let b = a; b < l; b++) gram[a * l + b]! += x * bt[j * l + b]!;
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) gram[a * l + b] = gram[b * l + a]!;
  const { values, vectors: w } = symmetricEigen(gram, l);
  const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!).slice(0, k);
  const out = new Map<string, Float32Array>();
  vocabulary.forEach((t, i) => {
    const row = new Float32Array(k);
    order.forEach((col, c) => {
      let s = 0;
      for (let x = 0; x < l; x++) s += q[i * l + x]! * w[x * l + col]!;
      row[c] = s * idf[i]!;
    });
    out.set(t, row);
  });
  return { dims: k, vectors: out };
}

/**
 * An article's vector: its terms' basis rows weighted by log-damped frequency, scaled to
 * unit length (fold-in: a new article needs only the basis). Null when none of its terms
 * is in the basis.
 */
export function foldIn(terms: TermCounts, basis: Pick<SemanticBasis, 'dims' | 'vectors'>): Float32Array | null {
  const out = new Float64Array(basis.dims);
  let found = false;
  for (const [t, f] of terms) {
    const row = basis.vectors.get(t);
    if (!row) continue;
    found = true;
    const a = damp(f);
    for (let c = 0; c < basis.dims; c++) out[c]! += a * row[c]!;
  }
  const norm = Math.sqrt(out.reduce((a, x) => a + x * x, 0));
  return found && norm > 0 ? Float32Array.from(out, (x) => x / norm) : null;
}

/** Cosine similarity of two unit-length vectors (0 when either is missing or they differ in size). */
export function cosine(a: Float32Array | undefined | null, b: Float32Array | undefined | null): number {
  if (!a || !b || a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** A vector as bytes for a blob column, and back (little-endian float32 on every platform Node runs on). */
export function vectorToBytes(v: Float32Array): Uint8Array {
  return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}

export function vectorFromBytes(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
