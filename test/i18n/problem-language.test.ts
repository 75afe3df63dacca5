import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { localText, text } from '../../src/site/i18n.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { DIALECTS } from '../helpers/databases.js';
import { makeSection } from '../helpers/factories.js';
import { login, makeUser, type Client } from '../helpers/newsroom.js';

const ARABIC_LETTERS = /[\u0600-\u06FF]{3}/;
const LATIN_WORDS = /\b(?!(?:CSRF|API|ISO|JPEG|PNG|WebP|AVIF|GIF|MP4|WebM|multipart|form|data|file|boundary|x-csrf-token)\b)[A-Za-z]{4,}\b/;

/** The problem+json parts an editor reads, and the machine-readable ones that must stay English. */
function problemOf(res: { statusCode: number; headers: Record<string, unknown>; json: () => Record<string, unknown> }) {
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  const p = res.json() as { title: string; detail: string; code: string; status: number; type: string };
  return p;
}

for (const engine of DIALECTS) {
  describe(`problem details in the editor's language on ${engine}`, () => {
    let t: TestApp;
    let editor: Client;
    let contributor: Client;
    let section: number;
    let article: { id: number; revision: number };
    const as = (client: Client, language: string) => ({
      post: (url: string, body: unknown) => client.request('POST', url, body as never, { headers: { 'accept-language': language } }),
      put: (url: string, body: unknown) => client.request('PUT', url, body as never, { headers: { 'accept-language': language } }),
      get: (url: string) => client.request('GET', url, undefined, { headers: { 'accept-language': language } }),
    });

    before(async () => {
      t = await createTestApp(engine);
      section = await makeSection(t, 'world', 'World');
      editor = await login(t.app, await makeUser(t, 'editor'));
      contributor = await login(t.app, await makeUser(t, 'contributor'));
      // No body text: the publish checklist blocks it.
      const res = await editor.post('/api/admin/articles', { headline: 'محادثات السلام', sectionId: section, language: 'ar', bodyHtml: '' });
      assert.equal(res.statusCode, 201, res.body);
      article = res.json();
    });
    after(() => t.cleanup());

    test('a blocked publish answers in Arabic: title, detail and each checklist item; code, status and fields stay English', async () => {
      const res = await as(editor, 'ar-EG,ar;q=0.9,en;q=0.5').post(`/api/admin/articles/${article.id}/transitions`, { action: 'publish' });
      assert.equal(res.statusCode, 422);
      assert.equal(res.headers['content-language'], 'ar');
      const p = problemOf(res) as ReturnType<typeof problemOf> & { checks: { code: string; severity: string; field: string; message: string }[] };
      assert.equal(p.code, 'VALIDATION_FAILED');
      assert.equal(p.type, 'about:blank');
      assert.equal(p.title, 'تعذّر القبول');
      assert.match(p.detail, /^لا يمكن نشر هذا المقال بعد\. متن المقال فارغ\./);
      const body = p.checks.find((c) => c.code === 'BODY_EMPTY')!;
      assert.deepEqual([body.severity, body.field], ['blocking', 'body']);
      assert.match(body.message, /^متن المقال فارغ/);
      for (const c of p.checks) assert.doesNotMatch(c.message, LATIN_WORDS, `${c.code}: ${c.message}`);
      assert.ok(!('text' in body), 'the catalog key is not part of the response');
    });

    test('the same request without Accept-Language is English, as before', async () => {
      const res = await editor.post(`/api/admin/articles/${article.id}/transitions`, { action: 'publish' });
      const p = problemOf(res);
      assert.equal(p.title, 'Validation failed');
      assert.match(p.detail, /^This article cannot be published yet\. The body is empty\./);
      assert.equal(res.headers['content-language'], 'en');
    });

    test('the publish checklist is in Persian, with the count in Persian digits and the right plural', async () => {
      const saved = await editor.put(`/api/admin/articles/${article.id}`, { baseRevision: article.revision, bodyHtml: '<p>سه واژه اینجا</p>' });
      assert.equal(saved.statusCode, 200, saved.body);
      article = saved.json();
      const res = await as(editor, 'fa').get(`/api/admin/articles/${article.id}/publish-checks`);
      assert.equal(res.statusCode, 200);
      const short = res.json().checks.find((c: { code: string }) => c.code === 'SHORT_BODY');
      assert.equal(short.message, 'متن بسیار کوتاه است (۳ واژه). تمام شده است؟');
      const english = (await editor.get(`/api/admin/articles/${article.id}/publish-checks`)).json().checks.find((c: { code: string }) => c.code === 'SHORT_BODY');
      assert.equal(english.message, 'The body is very short (3 words). Is it finished?');
    });

    test('schema validation, permission and conflict errors in Arabic', async () => {
      const long = await as(editor, 'ar').put(`/api/admin/articles/${article.id}`, { baseRevision: article.revision, headline: 'ع'.repeat(301) });
      assert.equal(long.statusCode, 400);
      const v = problemOf(long);
      assert.equal(v.code, 'BAD_REQUEST');
      assert.equal(v.title, 'طلب غير صالح');
      assert.match(v.detail, /^العنوان: الحدّ الأقصى [0-9٠-٩]+ حرفًا، وفيه [0-9٠-٩]+\.$/);

      const forbidden = problemOf(await as(contributor, 'ar').post(`/api/admin/articles/${article.id}/transitions`, { action: 'publish' }));
      assert.equal(forbidden.code, 'FORBIDDEN');
      assert.equal(forbidden.title, 'غير مسموح');
      assert.match(forbidden.detail, ARABIC_LETTERS);
      assert.doesNotMatch(forbidden.detail, /\brole\b|\bmay\b/);

      const conflict = await as(editor, 'ar').put(`/api/admin/articles/${article.id}`, { baseRevision: article.revision - 1, headline: 'عنوان آخر' });
      assert.equal(conflict.statusCode, 409);
      const c = problemOf(conflict);
      assert.equal(c.code, 'REVISION_CONFLICT');
      assert.equal(c.title, 'عدّله شخص آخر');
      assert.match(c.detail, /^غيّر شخص آخر هذا المقال: تعديلك مبني على النسخة \d+، والنسخة الحالية \d+\./);
      assert.ok((conflict.json() as { current?: unknown }).current, 'extension members are kept');
    });

    test('an upload refused in Persian; a not-found address in Persian; a language without a catalog gets English', async () => {
      const upload = await editor.request('POST', '/api/admin/media', { not: 'a file' } as never, { headers: { 'accept-language': 'fa-IR' } });
      assert.equal(upload.statusCode, 415);
      const u = problemOf(upload);
      assert.equal(u.code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.equal(u.title, 'نوع فایل پشتیبانی نمی‌شود');
      assert.equal(u.detail, 'فایل را به‌صورت multipart/form-data در بخشی به نام "file" بفرستید.');
      const missing = await t.app.inject({ url: '/api/v1/articles/999999', headers: { 'accept-language': 'fa' } });
      assert.equal(missing.statusCode, 404);
      assert.equal(problemOf(missing).title, 'مطلب پیدا نشد');
      assert.match(String(missing.headers.vary), /Accept-Language/, 'shared caches keep one answer per language');
      const german = await t.app.inject({ url: '/api/v1/articles/999999', headers: { 'accept-language': 'de-DE, fr;q=0.8' } });
      assert.equal(problemOf(german).title, 'Article not found');
      assert.equal(german.headers['content-language'], 'en');
    });

    test('newsroom screens: a section still in use is refused with the Arabic count', async () => {
      const owner = await login(t.app, await makeUser(t, 'owner'));
      const res = await owner.request('DELETE', `/api/admin/sections/${section}`, undefined, { headers: { 'accept-language': 'ar' } });
      assert.equal(res.statusCode, 409);
      const p = problemOf(res);
      assert.equal(p.code, 'IN_USE');
      assert.equal(p.title, 'ما زال مستخدمًا');
      assert.equal(p.detail, 'في هذا القسم مقال واحد؛ انقله أولًا.', 'Arabic\'s "one" form');
    });

    test('fronts: a missing story and a conflict on the home front in Arabic ("Home" is a term)', async () => {
      const current = (await editor.get('/api/admin/fronts/home')).json() as { revision: number };
      const missing = await as(editor, 'ar').put('/api/admin/fronts/home', { revision: current.revision, lead: null, top: [{ articleId: 999999 }] });
      assert.equal(missing.statusCode, 422, missing.body);
      assert.equal(problemOf(missing).detail, 'الخبر 999999 غير موجود؛ ربما حُذف.');
      assert.deepEqual(missing.json().problems, ['Story 999999 does not exist; it may have been deleted.'], 'the problems member stays English');
      const stale = await as(editor, 'ar').put('/api/admin/fronts/home', { revision: current.revision + 5, lead: null, top: [] });
      assert.equal(stale.statusCode, 409);
      assert.match(problemOf(stale).detail, /^حفظ شخص آخر واجهة الرئيسية منذ أن فتحتها/);
    });

    test('live desk, wire and webhooks in Persian or Arabic', async () => {
      const breaking = await as(editor, 'fa').put('/api/admin/breaking/en', { headline: 'زلزله' });
      assert.equal(breaking.statusCode, 422, breaking.body);
      assert.equal(problemOf(breaking).detail, 'خبر فوری به پیوند نیاز دارد (یا به خبری منتشرشده که به آن پیوند داده شود).');
      const wire = await as(editor, 'ar').post('/api/admin/incoming/999999/draft', {});
      assert.equal(wire.statusCode, 404, wire.body);
      assert.equal(problemOf(wire).detail, 'لا يوجد خبر وارد بالمعرّف 999999.');
      const owner = await login(t.app, await makeUser(t, 'owner'));
      const hook = await owner.request('PATCH', '/api/admin/webhooks/999999', { enabled: false } as never, { headers: { 'accept-language': 'fa' } });
      assert.equal(hook.statusCode, 404, hook.body);
      assert.equal(problemOf(hook).detail, 'هیچ نقطهٔ دریافت وب‌هوکی با شناسهٔ 999999 وجود ندارد.');
    });

    test('setup, invitation links and push subscriptions in Arabic or Persian', async () => {
      const setup = await t.app.inject({ method: 'POST', url: '/api/admin/setup', headers: { 'accept-language': 'ar' }, payload: { token: 'x', email: 'new@example.com', name: 'New', password: 'a long enough password' } });
      assert.equal(setup.statusCode, 409, setup.body);
      assert.equal(problemOf(setup).detail, 'اكتمل الإعداد: يوجد حساب بالفعل. سجّل الدخول بدلًا من ذلك.');
      const invitation = await t.app.inject({ method: 'POST', url: '/api/admin/invitations/accept', headers: { 'accept-language': 'fa' }, payload: { token: 'no-such-token', password: 'a long enough password' } });
      assert.equal(invitation.statusCode, 400, invitation.body);
      assert.equal(problemOf(invitation).detail, 'این دعوت‌نامه نامعتبر، استفاده‌شده یا منقضی است. از یکی از مالکان دعوت‌نامهٔ تازه بخواهید.');
      const push = await t.app.inject({ url: '/push/key', headers: { 'accept-language': 'fa' } });
      assert.equal(push.statusCode, 404);
      assert.match(problemOf(push).detail, /^هشدارهای Web Push در این سایت راه‌اندازی نشده‌اند/);
    });

    test('counted details take the Arabic plural form (media in use, password length)', () => {
      const inUse = (n: number) => localText('ar', text('mediaInUse', { articles: { plural: 'articles', count: n }, id: '7', headline: 'خبر' }));
      assert.equal(inUse(1), 'هذا الملف مستخدم في مقال واحد، منها رقم 7 "خبر"؛ أزله من هناك أولًا.');
      assert.match(inUse(2), /مستخدم في مقالين،/);
      assert.match(inUse(5), /مستخدم في \S+ مقالات،/);
      assert.match(inUse(11), /مستخدم في \S+ مقالًا،/);
      assert.match(localText('ar', text('passwordTooShort', { length: { plural: 'characters', count: 10 } })), /^يجب ألا تقلّ كلمة المرور عن \S+ أحرف\.$/);
    });

    test('public error pages follow the page language', async () => {
      const fa = await t.app.inject({ url: '/fa/section/no-such-section' });
      assert.equal(fa.statusCode, 404);
      assert.match(fa.body, /<html lang="fa" dir="rtl"/);
      assert.match(fa.body, /<h1>[^<]*[\u0600-\u06FF][^<]*<\/h1>/);
    });
  });
}
