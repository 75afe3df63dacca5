import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { libpqAccepts, libpqModule, libpqUrl } from '../../src/db/postgres-sync/libpq-client.js';
import { chooseSyncDriver } from '../../src/db/postgres-sync/sync-driver.js';
import { loadConfig } from '../../src/config/config.js';

/**
 * Issue 10 item 10: which transport the synchronous PostgreSQL connections use
 * (DB_SYNC_DRIVER), and the connection URL libpq is given. No server needed.
 */
describe('synchronous connection transport (DB_SYNC_DRIVER)', () => {
  const installed = libpqModule() !== null;

  it('gives libpq only URLs it reads as pg does', () => {
    assert.equal(libpqAccepts('postgres://u:p@127.0.0.1:5432/db'), true);
    assert.equal(libpqAccepts('postgresql://u@host/db?sslmode=require&application_name=dateline&options=-c%20search_path%3Dx'), true);
    // pg's own parameters, which libpq refuses ("invalid URI query parameter").
    assert.equal(libpqAccepts('postgres://u@host/db?ssl=true'), false);
    assert.equal(libpqAccepts('postgres://u@host/db?sslmode=no-verify'), false);
  });

  it('writes query values as libpq decodes them: a space never as +', () => {
    const url = new URL('postgres://u:p%40ss@127.0.0.1:5432/db');
    url.searchParams.set('options', '-c search_path=t_1');
    assert.match(url.toString(), /options=-c\+search_path/, 'URLSearchParams writes a space as +, which libpq keeps as +');
    const written = libpqUrl(url.toString(), 7);
    assert.equal(written, 'postgres://u:p%40ss@127.0.0.1:5432/db?options=-c%20search_path%3Dt_1&connect_timeout=7');
    assert.match(libpqUrl('postgres://u@h/db?connect_timeout=3', 7), /\?connect_timeout=3$/, 'its own connect_timeout is kept');
  });

  it('auto picks libpq when it is installed and reads the URL, else the worker, and says why', () => {
    assert.deepEqual(chooseSyncDriver('postgres://u@h/db', 'worker'), { driver: 'worker', reason: '' });
    const pgOnly = chooseSyncDriver('postgres://u@h/db?ssl=true', 'auto');
    assert.equal(pgOnly.driver, 'worker');
    assert.match(pgOnly.reason, installed ? /parameters only the pg client reads/ : /libpq package is not installed/);
    const auto = chooseSyncDriver('postgres://u@h/db', 'auto');
    assert.deepEqual(auto.driver, installed ? 'libpq' : 'worker');
    if (installed) assert.throws(() => chooseSyncDriver('postgres://u@h/db?ssl=true', 'libpq'), /DB_SYNC_DRIVER=libpq, but DATABASE_URL has parameters/);
    else assert.throws(() => chooseSyncDriver('postgres://u@h/db', 'libpq'), /libpq-dev/);
  });

  it('reads DB_SYNC_DRIVER, and refuses a value it does not know with the values it takes', () => {
    assert.equal(loadConfig({ DB_SYNC_DRIVER: 'Worker' }).dbSyncDriver, 'worker');
    assert.equal(loadConfig({}).dbSyncDriver, 'auto');
    assert.throws(() => loadConfig({ DB_SYNC_DRIVER: 'native' }), /DB_SYNC_DRIVER.*auto, libpq or worker/);
  });
});
