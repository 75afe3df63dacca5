import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const cwd = mkdtempSync(join(tmpdir(), 'dateline-distribution-config-'));

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, cwd);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return [];
}

describe('distribution settings', () => {
  test('defaults: full text, 30 items, admin and search disallowed, a description from the site name', () => {
    const c = loadConfig({ SITE_NAME: 'Qusayr Daily' }, cwd);
    assert.equal(c.feedContent, 'full');
    assert.equal(c.feedItems, 30);
    assert.deepEqual(c.robotsDisallow, ['/admin/', '/api/admin/', '/search']);
    assert.equal(c.siteDescription, 'Qusayr Daily: the latest news.');
  });

  test('environment and config file values are parsed', () => {
    const c = loadConfig({ FEED_CONTENT: 'Excerpt', FEED_ITEMS: '50', ROBOTS_DISALLOW: '/private/, /drafts/', SITE_DESCRIPTION: 'News from the valley' }, cwd);
    assert.equal(c.feedContent, 'excerpt');
    assert.equal(c.feedItems, 50);
    assert.deepEqual(c.robotsDisallow, ['/private/', '/drafts/']);
    assert.equal(c.siteDescription, 'News from the valley');
    const dir = mkdtempSync(join(tmpdir(), 'dateline-distribution-file-'));
    writeFileSync(join(dir, 'dateline.config.json'), JSON.stringify({ robotsDisallow: ['/a/', '/b/'], feedItems: 5 }));
    const f = loadConfig({}, dir);
    assert.deepEqual(f.robotsDisallow, ['/a/', '/b/']);
    assert.equal(f.feedItems, 5);
  });

  test('bad values are reported with what was expected', () => {
    assert.deepEqual(problems({ FEED_CONTENT: 'summary' }), ['FEED_CONTENT: must be full or excerpt (got "summary")']);
    assert.match(problems({ FEED_ITEMS: '0' })[0]!, /FEED_ITEMS: must be a whole number from 1 to 100/);
    assert.match(problems({ FEED_ITEMS: '500' })[0]!, /from 1 to 100/);
    assert.match(problems({ ROBOTS_DISALLOW: 'admin' })[0]!, /ROBOTS_DISALLOW: must be a comma-separated list of paths starting with \//);
    assert.match(problems({ SITE_DESCRIPTION: 'x'.repeat(301) })[0]!, /SITE_DESCRIPTION: must be 1 to 300 characters/);
  });
});
