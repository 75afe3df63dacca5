import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { migrateWith, ownSchemaOnly } from '../../src/db/migrator.js';
import { POSTGRES_URL } from '../helpers/databases.js';

describe('migrations on a real PostgreSQL server while another connection creates and drops schemas', { skip: !POSTGRES_URL && 'no PostgreSQL server (TEST_POSTGRES_URL)' }, () => {
  test('every fresh schema migrates (before the look was confined to its own schema, about one in ten failed with 3F000 here)', { timeout: 120_000 }, async () => {
    const tag = `mig_${process.pid}_${Date.now().toString(36)}`;
    const churn = new pg.Client({ connectionString: POSTGRES_URL });
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await churn.connect();
    await admin.connect();
    // Another tenant's (or test file's) schemas, each with tables whose serial Kysely's look resolves, dropped as fast as they come.
    let churning = true;
    let dropped = 0;
    const churned = (async () => {
      while (churning) {
        const other = `${tag}_other_${dropped}`;
        await churn.query(`create schema ${other}; create table ${other}.a (id serial primary key); create table ${other}.b (id serial primary key)`);
        await churn.query(`drop schema ${other} cascade`);
        dropped++;
      }
    })();
    const failures: string[] = [];
    try {
      for (let i = 0; i < 30; i++) {
        const schema = `${tag}_${i}`;
        await admin.query(`create schema ${schema}`);
        const url = new URL(POSTGRES_URL);
        url.searchParams.set('options', `-c search_path=${schema}`);
        const handle = openDatabase(url.toString(), { poolSize: 2 });
        try {
          const result = await migrateWith(handle, {
            '001-one-table': () => ({ up: async (db) => void (await db.schema.createTable('one').addColumn('id', 'integer').execute()) }),
          }).catch((err: Error & { code?: string }) => void failures.push(`${err.code}: ${err.message}`));
          if (result) assert.deepEqual(result.results?.map((r) => r.status), ['Success']);
        } finally {
          await handle.close();
          await admin.query(`drop schema ${schema} cascade`);
        }
      }
    } finally {
      churning = false;
      await churned;
      await churn.end();
      await admin.end();
    }
    console.log(`# 30 migrations beside ${dropped} schemas created and dropped`);
    assert.ok(dropped > 30, `schemas were dropped meanwhile (${dropped})`);
    assert.deepEqual(failures, []);
  });
});

describe('the migrator looks at its own schema only', { skip: !POSTGRES_URL && 'no PostgreSQL server (TEST_POSTGRES_URL)' }, () => {
  test("another schema's tables are not listed, and the database answers as before", async () => {
    const tag = `own_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create schema ${tag}_mine; create table ${tag}_mine.kept (id serial primary key); create view ${tag}_mine.seen as select 1 as one`);
    await admin.query(`create schema ${tag}_theirs; create table ${tag}_theirs.other (id serial primary key)`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', `-c search_path=${tag}_mine`);
    const handle = openDatabase(url.toString(), { poolSize: 1 });
    try {
      const db = ownSchemaOnly(handle.db, `${tag}_mine`);
      assert.deepEqual(await db.introspection.getSchemas(), [{ name: `${tag}_mine` }]);
      const tables = (await db.introspection.getTables()).map((t) => [t.schema, t.name, t.isView]).sort();
      assert.deepEqual(tables, [[`${tag}_mine`, 'kept', false], [`${tag}_mine`, 'seen', true]]);
      assert.deepEqual(await db.selectFrom('kept' as never).selectAll().execute(), [], 'queries go through to the database');
    } finally {
      await handle.close();
      await admin.query(`drop schema ${tag}_mine cascade; drop schema ${tag}_theirs cascade`);
      await admin.end();
    }
  });
});
