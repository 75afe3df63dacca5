import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/domain/roles.js';
import { principalOfUser } from '../../src/services/auth.service.js';
import type { TestDb } from './databases.js';

/** Small builders for newsroom tests: users, signed-in clients, API-key clients. */
export interface TestUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  password: string;
}

let n = 0;

export async function makeUser(t: TestDb, role: Role, overrides: Partial<Pick<TestUser, 'email' | 'name' | 'password'>> = {}): Promise<TestUser> {
  n++;
  const email = overrides.email ?? `${role}${n}@news.test`;
  const name = overrides.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${n}`;
  const password = overrides.password ?? `correct horse ${n} battery`;
  const user = await t.services.newsroom.auth.createUserWithPassword({ email, name, role, password });
  return { id: user.id, email, name, role, password };
}

/** The service-level actor for a test user (calls that skip HTTP). */
export function actor(user: TestUser) {
  return principalOfUser(user);
}

type Body = Record<string, unknown> | undefined;

/** Sends requests as one signed-in browser: cookie always, x-csrf-token on writes (unless told otherwise). */
export interface Client {
  cookie: string;
  csrfToken: string;
  user: TestUser | null;
  request(method: string, url: string, body?: Body, options?: { csrf?: string | false; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: Body): Promise<LightMyRequestResponse>;
  put(url: string, body?: Body): Promise<LightMyRequestResponse>;
  patch(url: string, body?: Body): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export function sessionCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'dateline_session');
  if (!cookie) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  return `dateline_session=${cookie.value}`;
}

export function clientFor(app: FastifyInstance, cookie: string, csrfToken: string, user: TestUser | null = null): Client {
  const request: Client['request'] = (method, url, body, options = {}) => {
    const headers: Record<string, string> = { cookie, ...options.headers };
    const csrf = options.csrf === undefined ? csrfToken : options.csrf;
    if (method !== 'GET' && csrf !== false) headers['x-csrf-token'] = csrf;
    return app.inject({ method: method as 'GET', url, headers, ...(body !== undefined ? { payload: body } : {}) });
  };
  return {
    cookie,
    csrfToken,
    user,
    request,
    get: (url) => request('GET', url),
    post: (url, body = {}) => request('POST', url, body),
    put: (url, body = {}) => request('PUT', url, body),
    patch: (url, body = {}) => request('PATCH', url, body),
    del: (url) => request('DELETE', url),
  };
}

export async function login(app: FastifyInstance, user: TestUser, headers: Record<string, string> = {}): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/admin/session', payload: { email: user.email, password: user.password }, headers });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return clientFor(app, sessionCookieOf(res), res.json().csrfToken as string, user);
}

/** Sends requests with `Authorization: Bearer <secret>`. */
export function bearer(app: FastifyInstance, secret: string) {
  const request = (method: string, url: string, body?: Body) =>
    app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${secret}` }, ...(body !== undefined ? { payload: body } : {}) });
  return {
    request,
    get: (url: string) => request('GET', url),
    post: (url: string, body: Body = {}) => request('POST', url, body),
    put: (url: string, body: Body = {}) => request('PUT', url, body),
  };
}
