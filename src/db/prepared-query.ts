import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

// Placeholder values stand in for arguments while the query is compiled once.
const MARK = '\u0000dateline-arg:';

/**
 * A Kysely query compiled once and run many times with new arguments: the hot read
 * paths (article page, related list) skip rebuilding and recompiling the same SQL on
 * every request. `build` receives placeholders in argument order and must use each
 * one as a plain value (not inside `in (...)` lists, whose length would vary).
 */
export class PreparedQuery<Args extends readonly unknown[], Row> {
  private compiled: CompiledQuery<Row> | null = null;
  private slots: number[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly arity: Args['length'],
    private readonly build: (...placeholders: Args) => Compilable<Row>,
  ) {}

  private compile(): CompiledQuery<Row> {
    const placeholders = Array.from({ length: this.arity }, (_, i) => `${MARK}${i}`) as unknown as Args;
    const compiled = this.build(...placeholders).compile();
    this.slots = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : -1));
    this.compiled = compiled;
    return compiled;
  }

  async execute(...args: Args): Promise<Row[]> {
    const compiled = this.compiled ?? this.compile();
    const parameters = compiled.parameters.map((p, i) => {
      const slot = this.slots[i]!;
      return slot >= 0 ? args[slot] : p;
    });
    const result = await this.db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  }

  async executeTakeFirst(...args: Args): Promise<Row | undefined> {
    return (await this.execute(...args))[0];
  }
}
