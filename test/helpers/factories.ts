import { RELATED_FEATURES, type RelatedFeatures, type RelatedModel } from '../../src/domain/related-model.js';
import type { NewArticleInput } from '../../src/services/publishing.service.js';
import type { TestDb } from './databases.js';

/** Small builders for test content. */
export async function makeSection(t: TestDb, slug = 'world', name = 'World'): Promise<number> {
  const id = await t.services.repos.taxonomy.insertSection({ slug, name, names: { ar: 'العالم' }, position: 0 });
  t.services.catalog.invalidate();
  return id;
}

export async function makeImage(t: TestDb, key = '2013/05/31/test_635056300967158844_25f_4x3.jpg'): Promise<number> {
  return t.services.repos.media.insert({
    kind: key.endsWith('.mp4') ? 'video' : 'image',
    storage_key: key,
    mime: key.endsWith('.mp4') ? 'video/mp4' : 'image/jpeg',
    width: 1200,
    height: 900,
    duration_ms: null,
    poster_key: null,
    alt: 'A test picture',
    caption: 'Caption',
    credit: 'Test/Credit',
    created_at: t.clock.now,
  });
}

/** A related-stories model weighing only the given signals (every other weight 0). */
export function modelOf(weights: Partial<RelatedFeatures>): RelatedModel {
  return { bias: 0, weights: { ...(Object.fromEntries(RELATED_FEATURES.map((f) => [f, 0])) as RelatedFeatures), ...weights }, minProbability: 0 };
}

let n = 0;

export async function makeArticle(t: TestDb, sectionId: number, overrides: Partial<NewArticleInput> = {}): Promise<number> {
  n++;
  return t.services.publishing.createArticle({
    language: 'en',
    contentTypeId: 21,
    sectionId,
    status: 'published',
    headline: `Test headline ${n}`,
    dek: 'A dek',
    bodyHtml: '<p>First paragraph.</p><p>Second paragraph.</p>',
    byline: 'Test Reporter',
    source: 'Dateline',
    place: 'Testville',
    publishedAt: t.clock.now - n * 60_000,
    ...overrides,
  });
}

/**
 * One published story per body, grouped by subject (headline: the body's first six
 * words), a day old and `stepMs` apart; returns each story's subject by id.
 */
export async function makeSubjectStories(
  t: TestDb,
  sectionId: number,
  subjects: Record<string, string[]>,
  { stepMs = 60_000, extraHtml = '', source }: { stepMs?: number; extraHtml?: string; source?: string } = {},
): Promise<Map<number, string>> {
  const subjectOf = new Map<number, string>();
  let i = 0;
  for (const [subject, bodies] of Object.entries(subjects)) {
    for (const body of bodies) {
      const id = await makeArticle(t, sectionId, { headline: body.split(' ').slice(0, 6).join(' '), bodyHtml: `<p>${body}</p>${extraHtml}`, ...(source ? { source } : {}), publishedAt: t.clock.now - 86_400_000 - i++ * stepMs });
      subjectOf.set(id, subject);
    }
  }
  return subjectOf;
}
