import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { missingAltText } from '../../src/domain/media-rules.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeImage, makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

describe('alt text rule', () => {
  test('lead images and inline images need alt text; videos do not', () => {
    assert.deepEqual(missingAltText({ kind: 'image', alt: ' ' }, '<p>x</p>'), ['the lead image']);
    assert.deepEqual(missingAltText({ kind: 'video', alt: '' }, ''), []);
    assert.deepEqual(missingAltText(null, '<p><img src="/media/a.jpg"><img src="/media/b.jpg" alt=""><img alt="A boat" src="/media/c.jpg"></p>'), ['2 images in the body']);
    assert.deepEqual(missingAltText({ kind: 'image', alt: 'Harbour at dawn' }, '<img alt="ok" src="x">'), []);
  });
});

for (const engine of DIALECTS) {
  describe(`publishing needs alt text on ${engine}`, () => {
    let t: TestApp;
    let editor: Client;
    let section: number;
    before(async () => {
      t = await createTestApp(engine);
      section = await makeSection(t);
      editor = await login(t.app, await makeUser(t, 'editor'));
    });
    after(() => t.cleanup());

    test('an article whose lead image has no alt text cannot be published or scheduled until it has', async () => {
      const media = await makeImage(t, '2026/11/24/test_639311000000000000_orig_4x3.jpg');
      await t.services.repos.media.update(media, { alt: '' });
      const draft = (await editor.post('/api/admin/articles', { headline: 'Harbour reopens', sectionId: section, bodyHtml: '<p>Boats return.</p>', leadMediaId: media })).json();
      for (const body of [{ action: 'publish' }, { action: 'schedule', at: new Date(t.clock.now + 3_600_000).toISOString() }]) {
        const refused = await editor.post(`/api/admin/articles/${draft.id}/transitions`, body);
        assert.equal(refused.statusCode, 422, refused.body);
        assert.match(refused.json().detail, /Add alt text to the lead image before publishing/);
      }
      const patched = await editor.patch(`/api/admin/media/${media}`, { alt: 'Fishing boats back in the harbour' });
      assert.equal(patched.statusCode, 200, patched.body);
      const published = await editor.post(`/api/admin/articles/${draft.id}/transitions`, { action: 'publish' });
      assert.equal(published.statusCode, 200, published.body);
      assert.equal(published.json().status, 'published');
    });
  });
}
