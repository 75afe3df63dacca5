import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentTypeNeedsBody, publishChecks, type PublishCheckInput } from '../../src/domain/publish-checks.js';

const ready: PublishCheckInput = {
  headline: 'Floods hit the delta',
  bodyHtml: '<p>x</p>',
  bodyText: 'word '.repeat(80),
  contentTypeName: 'news',
  hasSection: true,
  leadMedia: { kind: 'image', alt: 'Flooded street' },
  tagCount: 2,
  relatedCount: 3,
};
const codes = (input: Partial<PublishCheckInput>) => publishChecks({ ...ready, ...input }).map((c) => `${c.severity}:${c.code}`);

describe('publish checks', () => {
  test('a complete article has nothing to check', () => {
    assert.deepEqual(codes({}), []);
  });

  test('blocking items, each with an editor sentence', () => {
    const long = publishChecks({ ...ready, headline: 'é'.repeat(341) });
    assert.deepEqual(long.map((c) => c.message), ['The headline can be at most 300 characters; it has 341.']);
    assert.deepEqual(codes({ headline: '  ' }), ['blocking:HEADLINE_EMPTY']);
    assert.deepEqual(codes({ bodyText: '' }), ['blocking:BODY_EMPTY']);
    assert.deepEqual(codes({ hasSection: false }), ['blocking:NO_SECTION']);
    assert.deepEqual(codes({ leadMedia: { kind: 'image', alt: ' ' } }), ['blocking:ALT_TEXT_MISSING']);
    assert.deepEqual(codes({ bodyHtml: '<p><img src="/a.jpg"></p>' }), ['blocking:ALT_TEXT_MISSING']);
  });

  test('warnings', () => {
    assert.deepEqual(codes({ leadMedia: null, tagCount: 0, relatedCount: 0, bodyText: 'only a few words here' }), [
      'warning:NO_LEAD_MEDIA',
      'warning:NO_TAGS',
      'warning:SHORT_BODY',
      'warning:NO_RELATED',
    ]);
  });

  test('media-led types may go out without body text', () => {
    assert.equal(contentTypeNeedsBody('news'), true);
    assert.equal(contentTypeNeedsBody('opinion'), true);
    for (const name of ['video-report', 'photo-gallery', 'programme']) assert.equal(contentTypeNeedsBody(name), false);
    assert.deepEqual(codes({ contentTypeName: 'video-report', bodyText: '', leadMedia: { kind: 'video', alt: '' } }), []);
  });
});
