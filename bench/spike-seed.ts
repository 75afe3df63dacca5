import { join } from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { createServices } from '../src/services/index.js';

/** Articles like a newsroom's (headline, dek, six paragraphs, tags), without pictures, so setup takes seconds. */
export async function seed(dataDir: string, count = 120): Promise<void> {
  const { migrateToLatest } = await import('../src/db/migrator.js');
  const handle = openDatabase(`sqlite:${join(dataDir, 'dateline.db')}`);
  await migrateToLatest(handle);
  const services = createServices(handle, { dataDir, mediaSitePrefix: 'dateline', contentCacheSeconds: 0 });
  const sections: number[] = [];
  for (const [i, name] of ['World', 'Politics', 'Business', 'Sport', 'Culture', 'Science'].entries()) {
    sections.push(await services.repos.taxonomy.insertSection({ slug: name.toLowerCase(), name, names: {}, position: i }));
  }
  const words = 'harbour council election market storm league museum vaccine treaty border budget festival orbit drought strike verdict'.split(' ');
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const w = (k: number) => words[(i * 7 + k * 3) % words.length]!;
    const body = Array.from({ length: 6 }, (_, p) => `<p>The ${w(p)} and the ${w(p + 1)} were discussed again on day ${i} as officials weighed the ${w(p + 2)} against the ${w(p + 3)}; reporters in the capital heard from residents, traders and analysts who expect further developments this week.</p>`).join('');
    await services.publishing.createArticle({
      language: 'en', contentTypeId: 21, sectionId: sections[i % sections.length]!, status: 'published',
      headline: `The ${w(0)} ${w(1)} story number ${i}: what happens next`, dek: `A look at the ${w(2)} and the ${w(3)}.`,
      bodyHtml: body, byline: 'Staff reporter', source: 'Dateline', place: 'Capital', publishedAt: now - (count - i) * 60_000,
      tags: [{ kind: 'topic', name: w(0) }, { kind: 'topic', name: w(4) }],
    });
  }
  await handle.close();
}

