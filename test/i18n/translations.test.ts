import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { xmllintValidate } from '../helpers/distribution.js';
import { makeSection } from '../helpers/factories.js';
import { articlePath } from '../../src/domain/article.js';
import { ninjsErrors } from '../helpers/ninjs-schema.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

const hreflangs = (html: string) => [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1], m[2]]);

for (const engine of DIALECTS) {
  describe(`translations on ${engine}`, () => {
    let t: TestApp;
    let editor: Client;
    let arabic: { id: number; slug: string };
    let english: { id: number; slug: string; headline: string; bodyHtml: string; language: string };
    let persian: { id: number; slug: string };
    before(async () => {
      t = await createTestApp(engine);
      const section = await makeSection(t, 'world', 'World');
      editor = await login(t.app, await makeUser(t, 'editor'));
      const created = await editor.post('/api/admin/articles', { headline: 'الجيش يدخل مدينة القصير', bodyHtml: '<p>دخل الجيش المدينة صباح اليوم.</p>', sectionId: section, language: 'ar', byline: 'مراسلنا' });
      assert.equal(created.statusCode, 201, created.body);
      arabic = created.json();
      assert.equal((await editor.post(`/api/admin/articles/${arabic.id}/transitions`, { action: 'publish' })).statusCode, 200);
    });
    after(() => t.cleanup());

    test('"Translate into…" makes a linked draft prefilled with the source, marked as needing translation, audited', async () => {
      const res = await editor.post(`/api/admin/articles/${arabic.id}/translations`, { language: 'en' });
      assert.equal(res.statusCode, 201, res.body);
      english = res.json();
      assert.notEqual(english.id, arabic.id);
      assert.equal(english.language, 'en');
      assert.equal(english.headline, 'الجيش يدخل مدينة القصير', 'the headline is copied for the translator');
      assert.match(english.bodyHtml, /دخل الجيش المدينة/);
      assert.equal(res.json().status, 'draft');
      const view = (await editor.get(`/api/admin/articles/${english.id}/translations`)).json();
      assert.equal(view.translationOf, arabic.id);
      assert.equal(view.needsTranslation, true);
      assert.equal(view.group, String(arabic.id));
      assert.deepEqual(view.versions.map((v: { id: number; language: string }) => [v.id, v.language]), [[arabic.id, 'ar'], [english.id, 'en']]);
      assert.deepEqual(view.missing, ['fa']);
      const audit = (await editor.get('/api/admin/audit')).json().items;
      assert.ok(audit.some((e: { action: string; subject: string; detail?: string }) => e.action === 'article.translate' && e.subject === `article:${english.id}`), 'the translate action is in the audit log');
    });

    test('bad translate requests get problem+json an editor understands', async () => {
      const same = await editor.post(`/api/admin/articles/${arabic.id}/translations`, { language: 'ar' });
      assert.equal(same.statusCode, 422);
      assert.match(same.headers['content-type'] as string, /application\/problem\+json/);
      assert.match(same.json().detail, /already in ar/);
      const unknown = await editor.post(`/api/admin/articles/${arabic.id}/translations`, { language: 'de' });
      assert.equal(unknown.statusCode, 422);
      assert.match(unknown.json().detail, /not one of the site's languages \(en, ar, fa\)/);
      const twice = await editor.post(`/api/admin/articles/${english.id}/translations`, { language: 'ar' });
      assert.equal(twice.statusCode, 409);
      assert.match(twice.json().detail, new RegExp(`already has a ar version: article ${arabic.id}`));
      assert.equal((await editor.post('/api/admin/articles/999999/translations', { language: 'en' })).statusCode, 404);
    });

    test('saving the translation clears "needs translation"; publishing links the versions with hreflang and x-default', async () => {
      const saved = await editor.put(`/api/admin/articles/${english.id}`, { baseRevision: (english as unknown as { revision: number }).revision, headline: 'Army enters the town of Qusayr', bodyHtml: '<p>The army entered the town this morning.</p>' });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal((await editor.get(`/api/admin/articles/${english.id}/translations`)).json().needsTranslation, false);
      assert.equal((await editor.post(`/api/admin/articles/${english.id}/transitions`, { action: 'publish' })).statusCode, 200);
      english = { ...english, ...(await editor.get(`/api/admin/articles/${english.id}`)).json() };
      const fa = await editor.post(`/api/admin/articles/${english.id}/translations`, { language: 'fa' });
      assert.equal(fa.statusCode, 201, fa.body);
      persian = fa.json();
      assert.equal((await editor.post(`/api/admin/articles/${persian.id}/transitions`, { action: 'publish' })).statusCode, 200);
      persian = (await editor.get(`/api/admin/articles/${persian.id}`)).json();

      const page = await t.app.inject({ url: `${articlePath(english)}` });
      assert.equal(page.statusCode, 200);
      assert.deepEqual(hreflangs(page.body), [
        ['en', `http://news.test${articlePath(english)}`],
        ['ar', `http://news.test${articlePath(arabic)}`],
        ['fa', `http://news.test${articlePath(persian)}`],
        ['x-default', `http://news.test${articlePath(english)}`],
      ]);
      // Links to the other versions, and the switcher goes to the translation, not the home page.
      assert.match(page.body, new RegExp(`<nav class="translations"[^>]*>Also in:.*href="http://news.test${articlePath(arabic)}" hreflang="ar"`));
      assert.match(page.body, new RegExp(`<nav class="language-switcher"[\\s\\S]*href="http://news.test${articlePath(persian)}" hreflang="fa"[^>]*data-translation="yes"`));
      assert.match(String(page.headers['surrogate-key']), new RegExp(`\\btranslations-${arabic.id}\\b`));
      const arPage = await t.app.inject({ url: `${articlePath(arabic)}` });
      assert.match(arPage.body, /<html lang="ar" dir="rtl"/);
      assert.match(arPage.body, /<nav class="translations" aria-label="متوفر أيضاً بـ">/);
    });

    test('the content API and ninjs expose the group; the sitemap carries valid xhtml:link alternates', async () => {
      const api = (await t.app.inject({ url: `/api/v1/articles/${arabic.id}` })).json();
      assert.equal(api.translationGroup, String(arabic.id));
      assert.deepEqual(api.translations.map((v: { id: number; language: string }) => [v.id, v.language]), [[english.id, 'en'], [persian.id, 'fa']]);
      const n2res = await t.app.inject({ url: `/api/ninjs/v2/items/${arabic.id}` });
      assert.match(String(n2res.headers['surrogate-key']), new RegExp(`\\btranslations-${arabic.id}\\b`));
      assert.equal(ninjsErrors('2.1', n2res.json()), '', 'valid ninjs 2.1');
      const n2 = n2res.json();
      assert.ok(n2.altids.some((a: { role: string; value: string }) => a.role === 'translation-group' && a.value === String(arabic.id)));
      assert.deepEqual(n2.associations.filter((a: { name: string }) => a.name.startsWith('translation-')).map((a: { uri: string; language: string }) => [a.uri, a.language]), [[`http://news.test/news/${english.id}`, 'en'], [`http://news.test/news/${persian.id}`, 'fa']]);
      const n3 = (await t.app.inject({ url: `/api/ninjs/v3/items/${arabic.id}` })).json();
      assert.equal(ninjsErrors('3.0', n3), '', 'valid ninjs 3.0');
      assert.ok(n3.altIds.some((a: { role: string }) => a.role === 'translation-group'));
      assert.ok(n3.associations.some((a: { rel?: string; language: string }) => a.rel === 'translation' && a.language === 'fa'));

      const index = (await t.app.inject({ url: '/sitemap.xml' })).body;
      const month = /<loc>http:\/\/news.test(\/sitemaps\/articles\/[^<]+)<\/loc>/.exec(index)![1]!;
      const sitemap = (await t.app.inject({ url: month })).body;
      await xmllintValidate(sitemap);
      const entry = new RegExp(`<url><loc>http://news.test/news/${persian.id}/[^<]+</loc>.*?</url>`).exec(sitemap)![0];
      for (const id of [arabic.id, english.id, persian.id]) assert.match(entry, new RegExp(`<xhtml:link rel="alternate" hreflang="\\w+" href="http://news.test/news/${id}/`));
      const sections = (await t.app.inject({ url: '/sitemaps/sections.xml' })).body;
      await xmllintValidate(sections);
      assert.match(sections, /<url><loc>http:\/\/news.test\/ar\/section\/world<\/loc>.*<xhtml:link rel="alternate" hreflang="en" href="http:\/\/news.test\/section\/world"\/>/);
    });

    test('unpublishing one version leaves the others, which stop linking to it', async () => {
      assert.equal((await editor.post(`/api/admin/articles/${english.id}/transitions`, { action: 'unpublish' })).statusCode, 200);
      assert.equal((await t.app.inject({ url: `${articlePath(english)}` })).statusCode, 410);
      const ar = await t.app.inject({ url: `${articlePath(arabic)}` });
      assert.equal(ar.statusCode, 200);
      assert.deepEqual(hreflangs(ar.body).map(([l]) => l), ['ar', 'fa', 'x-default']);
      assert.doesNotMatch(ar.body, new RegExp(`/news/${english.id}/`));
      assert.equal((await t.app.inject({ url: `${articlePath(persian)}` })).statusCode, 200);
      const api = (await t.app.inject({ url: `/api/v1/articles/${persian.id}` })).json();
      assert.deepEqual(api.translations.map((v: { language: string }) => v.language), ['ar']);
    });
  });
}
