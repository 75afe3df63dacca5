import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../src/config/config.js';
import { parseAllowList, refusalReason } from '../../src/services/webhooks/safe-http.js';
import { eventOfChange } from '../../src/services/webhooks/webhook-events.js';
import { newMessageId, newWebhookSecret, signWebhook, webhookHeaders } from '../../src/services/webhooks/webhook-signature.js';

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = (a: fc.Arbitrary<number>, b: fc.Arbitrary<number> = octet) => fc.tuple(a, b, octet, octet).map((p) => p.join('.'));

describe('webhook target addresses (SSRF guard)', () => {
  test('every loopback, private, link-local and CGNAT IPv4 address is refused, in plain and IPv4-mapped IPv6 form', () => {
    const blocked = fc.oneof(
      ipv4(fc.constant(127)),
      ipv4(fc.constant(10)),
      ipv4(fc.constant(172), fc.integer({ min: 16, max: 31 })),
      ipv4(fc.constant(192), fc.constant(168)),
      ipv4(fc.constant(169), fc.constant(254)),
      ipv4(fc.constant(100), fc.integer({ min: 64, max: 127 })),
      ipv4(fc.constant(0)),
      ipv4(fc.integer({ min: 224, max: 255 })),
    );
    fc.assert(
      fc.property(blocked, (ip) => {
        assert.ok(refusalReason(ip, []), ip);
        assert.ok(refusalReason(`::ffff:${ip}`, []), `::ffff:${ip}`);
      }),
      { numRuns: 500 },
    );
  });

  test('public addresses pass; IPv6 loopback, link-local and unique-local do not', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '151.101.1.1', '2606:4700:4700::1111', '2a00:1450:4001::200e']) assert.equal(refusalReason(ip, []), null, ip);
    for (const ip of ['::1', '::', 'fe80::1', 'fd12:3456::1', 'fc00::1', 'ff02::1', '64:ff9b::7f00:1', '2002:7f00:1::1']) assert.ok(refusalReason(ip, []), ip);
  });

  test('the allow list opens exactly its ranges', () => {
    const allowed = parseAllowList(['127.0.0.1/32', '10.20.0.0/16']);
    assert.equal(refusalReason('127.0.0.1', allowed), null);
    assert.ok(refusalReason('127.0.0.2', allowed));
    fc.assert(
      fc.property(octet, octet, (c, d) => {
        assert.equal(refusalReason(`10.20.${c}.${d}`, allowed), null);
        assert.ok(refusalReason(`10.21.${c}.${d}`, allowed));
      }),
    );
    assert.throws(() => parseAllowList(['localhost']), /not an IP address or CIDR range/);
  });

  test('configuration: bad WEBHOOK_ALLOW_PRIVATE and out-of-range numbers are reported clearly', () => {
    assert.throws(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32,intranet' }, '/nonexistent'), /WEBHOOK_ALLOW_PRIVATE: "intranet" is not an IP address or CIDR range/);
    assert.throws(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '0' }, '/nonexistent'), /WEBHOOK_TIMEOUT_MS: must be a number from 100 to 30000/);
    const c = loadConfig({ WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32, 10.0.0.0/8', WEBHOOK_WORKERS: '4' }, '/nonexistent');
    assert.deepEqual(c.webhookAllowPrivate, ['127.0.0.1/32', '10.0.0.0/8']);
    assert.equal(c.webhookWorkers, 4);
    assert.equal(loadConfig({}, '/nonexistent').webhookTimeoutMs, 5000);
  });
});

describe('Standard Webhooks signatures', () => {
  test('our signature equals the standardwebhooks package’s for any body, id and time, and verifies', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), fc.integer({ min: 1_600_000_000, max: 2_100_000_000 }), (body, ts) => {
        const secret = newWebhookSecret();
        const id = newMessageId();
        const theirs = new Webhook(secret).sign(id, new Date(ts * 1000), body);
        assert.equal(signWebhook(secret, id, ts, body), theirs);
      }),
      { numRuns: 200 },
    );
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'article.published', data: { headline: 'عنوان' } });
    const headers = webhookHeaders([newWebhookSecret(), secret], newMessageId(), Math.floor(Date.now() / 1000), body);
    new Webhook(secret).verify(body, headers);
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers));
  });
});

describe('which change sends which event', () => {
  const live = { status: 'published', visible: true, wasPublished: true };
  test('mapping', () => {
    assert.equal(eventOfChange('publish', live), 'article.published');
    assert.equal(eventOfChange('save', live), 'article.updated');
    assert.equal(eventOfChange('save', { status: 'draft', visible: false, wasPublished: false }), null);
    assert.equal(eventOfChange('autosave', live), null);
    assert.equal(eventOfChange('correct', live), 'article.corrected');
    assert.equal(eventOfChange('unpublish', { status: 'unpublished', visible: false, wasPublished: true }), 'article.unpublished');
    assert.equal(eventOfChange('kill', { status: 'killed', visible: false, wasPublished: true }), 'article.killed');
    assert.equal(eventOfChange('kill', { status: 'killed', visible: false, wasPublished: false }), null, 'a killed draft was never out');
    assert.equal(eventOfChange('submit', live), null);
  });
});
