import pg from 'pg';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * How values are read back from PostgreSQL: times and counters are BIGINT and fit in a
 * double, so they are read as numbers (the same on both engines). Shared by the pool and
 * the synchronous connections' worker threads, so both return the same rows.
 */
export const postgresTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format as 'text');
  },
};
