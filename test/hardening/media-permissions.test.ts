import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../src/domain/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeImage, makeSection } from '../helpers/factories.js';
import { actor, login, makeUser, type Client, type TestUser } from '../helpers/newsroom.js';

/** Issue 10 item 4: permissions on media follow the live articles that show it. */
for (const engine of DIALECTS) {
  describe(`media permissions follow the article (${engine})`, () => {
    let t: TestApp;
    let sectionId: number;
    const users = {} as Record<Role, TestUser>;
    const clients = {} as Record<Role, Client>;

    /** An image that is the lead photo of an article by `author`, in the given state. */
    const leadPhotoOf = async (author: TestUser, state: 'draft' | 'published') => {
      const mediaId = await makeImage(t, `2026/11/20/test_${Math.floor(Math.random() * 1e15)}_orig_4x3.jpg`);
      const wf = t.services.newsroom.workflow;
      const a = await wf.create(actor(author), { headline: `Story by ${author.name}`, sectionId, leadMediaId: mediaId, bodyHtml: '<p>Text.</p>' });
      if (state === 'published') await wf.transition(actor(users.owner), a.id, { action: 'publish' });
      return { mediaId, articleId: a.id };
    };

    before(async () => {
      t = await createTestApp(engine);
      sectionId = await makeSection(t);
      for (const role of ['owner', 'editor', 'author', 'contributor'] as const) {
        users[role] = await makeUser(t, role);
        clients[role] = await login(t.app, users[role]);
      }
    });
    after(async () => t?.cleanup());

    it("refuses contributors and authors changing the lead photo of someone else's live article, and the page stays as it was", async () => {
      const { mediaId, articleId } = await leadPhotoOf(users.editor, 'published');
      for (const role of ['contributor', 'author'] as const) {
        for (const body of [{ alt: 'Defaced' }, { caption: 'Defaced' }, { focalX: 0.1 }]) {
          const res = await clients[role].patch(`/api/admin/media/${mediaId}`, body);
          assert.equal(res.statusCode, 403, `${role} ${JSON.stringify(body)}: ${res.body}`);
          assert.match(res.json().detail, new RegExp(`published article #${articleId}`));
        }
      }
      const page = await t.app.inject({ url: `/api/v1/articles/${articleId}` });
      assert.equal(page.json().leadMedia.alt, 'A test picture');
      for (const role of ['editor', 'owner'] as const) {
        const res = await clients[role].patch(`/api/admin/media/${mediaId}`, { caption: `Fixed by ${role}` });
        assert.equal(res.statusCode, 200, `${role}: ${res.body}`);
      }
    });

    it('lets an author change the photo of their own live article, not a contributor (who may not publish)', async () => {
      const own = await leadPhotoOf(users.author, 'published');
      assert.equal((await clients.author.patch(`/api/admin/media/${own.mediaId}`, { alt: 'Better alt' })).statusCode, 200);
      const contributorsOwn = await leadPhotoOf(users.contributor, 'published');
      assert.equal((await clients.contributor.patch(`/api/admin/media/${contributorsOwn.mediaId}`, { alt: 'x' })).statusCode, 403);
    });

    it('leaves media that no live article shows editable by every role with media.edit', async () => {
      const draft = await leadPhotoOf(users.editor, 'draft');
      for (const role of ['contributor', 'author', 'editor', 'owner'] as const) {
        assert.equal((await clients[role].patch(`/api/admin/media/${draft.mediaId}`, { credit: role })).statusCode, 200, role);
      }
      const unused = await makeImage(t, '2026/11/20/test_1_orig_4x3.jpg');
      assert.equal((await clients.contributor.patch(`/api/admin/media/${unused}`, { alt: 'Fine' })).statusCode, 200);
    });

    it('applies to inline images of a live body too', async () => {
      const mediaId = await makeImage(t, '2026/11/20/test_2_orig_4x3.jpg');
      const wf = t.services.newsroom.workflow;
      const a = await wf.create(actor(users.editor), { headline: 'Inline', sectionId, bodyHtml: '<p>x</p><img src="/media/2026/11/20/test_2_orig_4x3.jpg" alt="inline">' });
      await wf.transition(actor(users.owner), a.id, { action: 'publish' });
      assert.equal((await clients.author.patch(`/api/admin/media/${mediaId}`, { alt: 'x' })).statusCode, 403);
    });
  });
}
