import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { RevisionRow } from '../schema/newsroom.schema.js';
import { writeBehind } from '../write-behind.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Article revisions: one snapshot per saved revision number. */
export class RevisionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** In a transaction its error is raised by the transaction's next statement (write-behind.ts). */
  async insert(r: Omit<RevisionRow, 'id'>, trx: Db = this.db): Promise<void> {
    await writeBehind(() => trx.insertInto('revisions').values(r).execute());
  }

  /** Newest first, without snapshots' bodies parsed (the caller reads headlines from them). */
  async list(articleId: number): Promise<RevisionRow[]> {
    return this.db.selectFrom('revisions').selectAll().where('article_id', '=', articleId).orderBy('number', 'desc').execute();
  }

  async find(articleId: number, number: number, trx: Db = this.db): Promise<RevisionRow | null> {
    return (await trx.selectFrom('revisions').selectAll().where('article_id', '=', articleId).where('number', '=', number).executeTakeFirst()) ?? null;
  }

  /** The newest revision below `number`. */
  async findPrevious(articleId: number, number: number): Promise<RevisionRow | null> {
    return (
      (await this.db
        .selectFrom('revisions')
        .selectAll()
        .where('article_id', '=', articleId)
        .where('number', '<', number)
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst()) ?? null
    );
  }

  /** Drops a revision (autosaves are squashed: only the newest of a run is kept). */
  async delete(articleId: number, number: number, trx: Db = this.db): Promise<void> {
    await trx.deleteFrom('revisions').where('article_id', '=', articleId).where('number', '=', number).execute();
  }
}
