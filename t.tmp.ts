import { createTestApp } from './test/helpers/app.js';
const t = await createTestApp('sqlite');
for (const u of ['/api/v1/articles/abc','/api/v1/articles/999999','/api/v1/articles?colour=red', '/api/v1/nothing-here', `/api/v1/articles/${'9'.repeat(3000)}`]) {
 const r = await t.app.inject({url:u}); console.log(u.slice(0,50), r.statusCode, r.headers['content-type'], r.body.slice(0,300));
}
await t.cleanup();
