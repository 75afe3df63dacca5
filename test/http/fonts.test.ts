import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeArticle, makeSection } from '../helpers/factories.js';
import { articlePath } from '../../src/domain/article.js';

/** Self-hosted fonts: served by the app under hashed names, declared per script, preloaded per page language. */
const fontFaces = (css: string) => [...css.matchAll(/@font-face\s*\{([^}]*)\}/g)].map((m) => m[1]!);
const linkHrefs = (link: unknown) => [...String(link ?? '').matchAll(/<([^>]+)>/g)].map((m) => m[1]!);

for (const engine of DIALECTS) {
  describe(`site fonts (${engine})`, () => {
    let t: TestApp;
    let english: string;
    let arabic: string;
    let css: string;
    before(async () => {
      t = await createTestApp(engine);
      const section = await makeSection(t);
      const enId = await makeArticle(t, section, { headline: 'Talks resume' });
      const arId = await makeArticle(t, section, { language: 'ar', headline: 'استئناف المحادثات', bodyHtml: '<p>نص الخبر.</p>' });
      english = articlePath((await t.services.repos.articles.findById(enId))!);
      arabic = articlePath((await t.services.repos.articles.findById(arId))!);
      const home = await t.app.inject({ url: '/' });
      const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home.body)![1]!;
      css = (await t.app.inject({ url: href })).body;
    });
    after(async () => t?.cleanup());

    it('declares Vazirmatn per script with swap, a weight range and a unicode-range, from the site itself', () => {
      const faces = fontFaces(css);
      assert.equal(faces.length, 3, css.slice(0, 400));
      for (const face of faces) {
        assert.match(face, /font-family: "Vazirmatn"/);
        assert.match(face, /font-display: swap/);
        assert.match(face, /unicode-range: U\+/);
        assert.match(face, /src: url\(\/assets\/fonts\/vazirmatn-[a-z-]+\.[0-9a-f]{10}\.woff2\) format\("woff2"\)/);
      }
      const arabicFace = faces.find((f) => f.includes('vazirmatn-arabic.'))!;
      assert.match(arabicFace, /U\+0600-06FF/, 'Arabic and Persian letters and digits');
      assert.doesNotMatch(arabicFace, /U\+0000-00FF|U\+0041/, 'the Arabic file must not claim Latin letters');
      const latinFace = faces.find((f) => f.includes('vazirmatn-latin.'))!;
      assert.match(latinFace, /U\+0000-00FF/);
      assert.match(css, /--sans: "Vazirmatn",/, 'the theme uses the face');
    });

    it('serves every font file as woff2, cached for a year and immutable', async () => {
      for (const href of fontFaces(css).map((f) => /url\(([^)]+)\)/.exec(f)![1]!)) {
        const res = await t.app.inject({ url: href });
        assert.equal(res.statusCode, 200, href);
        assert.equal(res.headers['content-type'], 'font/woff2');
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.equal(res.rawPayload.subarray(0, 4).toString('latin1'), 'wOF2', `${href} is a WOFF2 file`);
      }
      assert.equal((await t.app.inject({ url: '/assets/fonts/vazirmatn-arabic.0000000000.woff2' })).statusCode, 404);
    });

    it('an Arabic page preloads the Arabic face (and its Latin partner); an English page preloads only the Latin one', async () => {
      const ar = await t.app.inject({ url: arabic });
      assert.equal(ar.statusCode, 200);
      const arPreloads = linkHrefs(ar.headers.link);
      assert.ok(arPreloads.some((h) => /\/vazirmatn-arabic\./.test(h)), String(ar.headers.link));
      assert.match(String(ar.headers.link), /rel=preload; as=font; type="font\/woff2"; crossorigin/);
      const en = await t.app.inject({ url: english });
      assert.equal(en.statusCode, 200);
      const enPreloads = linkHrefs(en.headers.link);
      assert.deepEqual(enPreloads.map((h) => /vazirmatn-([a-z-]+)\./.exec(h)![1]), ['latin']);
      for (const href of [...arPreloads, ...enPreloads]) assert.equal((await t.app.inject({ url: href })).statusCode, 200, href);
    });

    it("page policy allows fonts from the site only", async () => {
      const res = await t.app.inject({ url: arabic });
      assert.match(String(res.headers['content-security-policy']), /font-src 'self'/);
    });
  });
}
