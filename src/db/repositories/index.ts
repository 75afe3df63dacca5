import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';
import type { Database } from '../schema.js';
import { ArticleRepository } from './article.repository.js';
import { CounterRepository } from './counter.repository.js';
import { ImportRepository } from './import.repository.js';
import { ArchiveRepository } from './archive.repository.js';
import { JobRepository } from './job.repository.js';
import { MediaRepository } from './media.repository.js';
import { RelatedRepository } from './related.repository.js';
import { TaxonomyRepository } from './taxonomy.repository.js';
import { TranslationRepository } from './translation.repository.js';
import { WebhookRepository } from './webhook.repository.js';
import { WireRepository } from './wire.repository.js';

/** All repositories over one database. */
export interface Repositories {
  articles: ArticleRepository;
  related: RelatedRepository;
  taxonomy: TaxonomyRepository;
  media: MediaRepository;
  counters: CounterRepository;
  jobs: JobRepository;
  webhooks: WebhookRepository;
  imports: ImportRepository;
  archive: ArchiveRepository;
  wire: WireRepository;
  translations: TranslationRepository;
}

export function createRepositories(db: Kysely<Database>, engine: Engine): Repositories {
  return {
    articles: new ArticleRepository(db),
    related: new RelatedRepository(db),
    taxonomy: new TaxonomyRepository(db),
    media: new MediaRepository(db),
    counters: new CounterRepository(db),
    jobs: new JobRepository(db, engine),
    webhooks: new WebhookRepository(db),
    imports: new ImportRepository(db, engine),
    archive: new ArchiveRepository(db),
    wire: new WireRepository(db),
    translations: new TranslationRepository(db),
  };
}
