import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { NewsroomRepositories } from '../db/repositories/newsroom-repositories.js';
import type { Database } from '../db/schema.js';
import type { UserRow } from '../db/schema/newsroom.schema.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import { grantsOfScopes, isRole, ROLE_GRANTS, type Principal, type Role } from '../domain/roles.js';
import { isPlausibleEmail, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, normalizeEmail, type User } from '../domain/user.js';
import type { AuditService } from './audit.service.js';
import type { Clock } from './clock.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';
import type { LoginThrottle } from './limits/local-limits.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Session and lockout policy; tests may shorten it. */
export interface AuthPolicy {
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, used or not. */
  sessionAbsoluteMs: number;
  /** Failed sign-ins counted within this window… */
  throttleWindowMs: number;
  /** …lock an account after this many… */
  accountFailureLimit: number;
  /** …or an address after this many… */
  ipFailureLimit: number;
  /** …for this long. */
  lockMs: number;
  setupTokenMs: number;
  inviteTokenMs: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  sessionIdleMs: 12 * HOUR,
  sessionAbsoluteMs: 7 * 24 * HOUR,
  throttleWindowMs: 15 * MINUTE,
  accountFailureLimit: 5,
  ipFailureLimit: 20,
  lockMs: 15 * MINUTE,
  setupTokenMs: 24 * HOUR,
  inviteTokenMs: 7 * 24 * HOUR,
};

/** A signed-in browser session. `token` goes into the cookie and nowhere else. */
export interface SessionInfo {
  user: User;
  csrfToken: string;
  token: string;
  expiresAt: number;
}

/** What a valid cookie resolves to on each request. */
export interface ActiveSession {
  sessionId: string;
  principal: Principal;
  user: User;
  csrfToken: string;
}

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export function userFromRow(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
  };
}

export function principalOfUser(u: { id: number; name: string; role: Role }): Principal {
  return { kind: 'user', userId: u.id, apiKeyId: null, name: u.name, role: u.role, grants: ROLE_GRANTS[u.role] };
}

/** Equal-time comparison of two strings (CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function validatePassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('VALIDATION_FAILED', text('passwordTooShort', { length: { plural: 'characters', count: MIN_PASSWORD_LENGTH } }));
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw new DomainError('VALIDATION_FAILED', text('passwordTooLong', { length: { plural: 'characters', count: MAX_PASSWORD_LENGTH } }));
}

export function validateNewUser(email: string, name: string, role: string): { email: string; name: string; role: Role } {
  const e = normalizeEmail(email);
  if (!isPlausibleEmail(e)) throw new DomainError('VALIDATION_FAILED', text('notAnEmail', { email }));
  const n = name.trim();
  if (!n || n.length > 200) throw new DomainError('VALIDATION_FAILED', text('nameLength'));
  if (!isRole(role)) throw new DomainError('VALIDATION_FAILED', text('badRole', { role }));
  return { email: e, name: n, role };
}

/** Sign-in, sessions, lockout, first-run setup, invitations and API-key authentication. */
export class AuthService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: NewsroomRepositories,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    readonly policy: AuthPolicy = DEFAULT_AUTH_POLICY,
    /** Where failures and locks are counted: the database, or Redis via `SharedLimits`. */
    private readonly throttle: LoginThrottle = repos.sessions,
  ) {}

  // ——— first run ———

  async setupNeeded(): Promise<boolean> {
    return (await this.repos.users.count()) === 0;
  }

  /** A fresh one-time setup token while no user exists (printed by `dateline serve`); null otherwise. */
  async createSetupToken(): Promise<string | null> {
    if (!(await this.setupNeeded())) return null;
    const token = newToken();
    await this.repos.users.insertToken({ hash: sha256(token), kind: 'setup', userId: null, expiresAt: this.clock() + this.policy.setupTokenMs }, this.clock());
    return token;
  }

  /** Creates the first owner with the setup token, and signs them in. */
  async completeSetup(input: { token: string; email: string; name: string; password: string }, client: ClientInfo): Promise<SessionInfo> {
    const valid = validateNewUser(input.email, input.name, 'owner');
    validatePassword(input.password);
    const passwordHash = await hashPassword(input.password);
    const now = this.clock();
    const userId = await this.db.transaction().execute(async (trx) => {
      if ((await this.repos.users.count(trx)) > 0) throw new DomainError('SETUP_DONE', text('setupDone'));
      const used = await this.repos.users.consumeToken(sha256(input.token), 'setup', now, trx);
      if (!used) throw new DomainError('INVALID_TOKEN', text('setupLinkInvalid'));
      const id = await this.repos.users.insert({ ...valid, passwordHash }, now, trx);
      await this.audit.record(principalOfUser({ id, name: valid.name, role: 'owner' }), 'user.setup', `user:${id}`, `First owner ${valid.email} created`, trx);
      return id;
    });
    return this.startSession(userId, client);
  }

  /** For scripts (`dateline user create`): a ready account with a password. */
  async createUserWithPassword(input: { email: string; name: string; role: string; password: string }): Promise<User> {
    const valid = validateNewUser(input.email, input.name, input.role);
    validatePassword(input.password);
    if (await this.repos.users.findByEmail(valid.email)) throw new DomainError('EMAIL_TAKEN', text('emailTaken', { email: valid.email }));
    const passwordHash = await hashPassword(input.password);
    const id = await this.db.transaction().execute(async (trx) => {
      const id = await this.repos.users.insert({ ...valid, passwordHash }, this.clock(), trx);
      await this.audit.record(null, 'user.create', `user:${id}`, `${valid.email} (${valid.role}) created from the command line`, trx);
      return id;
    });
    return userFromRow((await this.repos.users.findById(id))!);
  }

  /** Creates an invitation token for a user without a password yet. */
  async createInviteToken(userId: number): Promise<string> {
    const token = newToken();
    await this.repos.users.insertToken({ hash: sha256(token), kind: 'invite', userId, expiresAt: this.clock() + this.policy.inviteTokenMs }, this.clock());
    return token;
  }

  async acceptInvitation(input: { token: string; password: string }, client: ClientInfo): Promise<SessionInfo> {
    validatePassword(input.password);
    const passwordHash = await hashPassword(input.password);
    const userId = await this.db.transaction().execute(async (trx) => {
      const used = await this.repos.users.consumeToken(sha256(input.token), 'invite', this.clock(), trx);
      const user = used?.userId ? await this.repos.users.findById(used.userId, trx) : null;
      if (!user || user.disabled) throw new DomainError('INVALID_TOKEN', text('invitationInvalid'));
      await this.repos.users.update(user.id, { passwordHash }, this.clock(), trx);
      await this.audit.record(principalOfUser(user), 'user.invitation-accepted', `user:${user.id}`, `${user.email} set a password`, trx);
      return user.id;
    });
    return this.startSession(userId, client);
  }

  // ——— sign-in ———

  /**
   * Checks the password, with per-account and per-address lockout kept in the
   * database or in Redis (so every app node shares it).
   */
  async login(emailInput: string, password: string, client: ClientInfo): Promise<SessionInfo> {
    const email = normalizeEmail(emailInput);
    const keys = [`account:${email}`, `ip:${client.ip}`];
    const now = this.clock();
    const lockedUntil = await this.throttle.lockedUntil(keys, now);
    if (lockedUntil !== null) throw this.lockedError(lockedUntil, now);

    const user = await this.repos.users.findByEmail(email);
    const ok = user?.password_hash ? await verifyPassword(password, user.password_hash) : await verifyAgainstDummy(password);
    if (!user || !ok) {
      const p = this.policy;
      const [accountFailures, ipFailures] = [
        await this.throttle.recordFailure(keys[0]!, now, p.throttleWindowMs, p.accountFailureLimit, p.lockMs),
        await this.throttle.recordFailure(keys[1]!, now, p.throttleWindowMs, p.ipFailureLimit, p.lockMs),
      ];
      if (accountFailures >= p.accountFailureLimit || ipFailures >= p.ipFailureLimit) {
        await this.audit.record(null, 'auth.locked', `account:${email}`, `Sign-in locked after repeated failures from ${client.ip}`);
        throw this.lockedError(now + p.lockMs, now);
      }
      throw new DomainError('INVALID_CREDENTIALS', text('wrongCredentials'));
    }
    if (user.disabled) throw new DomainError('FORBIDDEN', text('accountDisabled'));
    await this.throttle.clearThrottle(keys[0]!);
    await this.repos.users.touchLogin(user.id, now);
    await this.audit.record(principalOfUser(user), 'auth.login', `user:${user.id}`, `Signed in from ${client.ip}`);
    return this.startSession(user.id, client);
  }

  /** Forgets an account's sign-in failures and lifts its lock (a password reset does). */
  async liftLockout(email: string): Promise<void> {
    await this.throttle.clearThrottle(`account:${normalizeEmail(email)}`);
  }

  private lockedError(until: number, now: number): DomainError {
    const seconds = Math.max(1, Math.ceil((until - now) / 1000));
    const minutes = Math.ceil(seconds / 60);
    return new DomainError(
      'LOGIN_LOCKED',
      text('loginLocked', { minutes: { plural: 'minutes', count: minutes } }),
      // The app shows `retryAt` in the reader's own time zone.
      { retryAfterSeconds: seconds, retryAt: new Date(until).toISOString() },
    );
  }

  private async startSession(userId: number, client: ClientInfo): Promise<SessionInfo> {
    const user = await this.repos.users.findById(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND', text('accountGone'));
    const token = newToken();
    const csrfToken = newToken();
    const now = this.clock();
    const expiresAt = now + this.policy.sessionAbsoluteMs;
    await this.repos.sessions.insert({
      id: sha256(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: client.ip.slice(0, 100),
      user_agent: client.userAgent.slice(0, 300),
    });
    return { user: userFromRow(user), csrfToken, token, expiresAt };
  }

  /** The session behind a cookie token, or null when unknown, revoked, idle too long, past its end, or its user is disabled. */
  async resolveSession(token: string): Promise<ActiveSession | null> {
    if (!token || token.length > 200) return null;
    const id = sha256(token);
    const found = await this.repos.sessions.findWithUser(id);
    if (!found) return null;
    const { session, user } = found;
    const now = this.clock();
    if (user.disabled || now >= session.expires_at || now - session.last_seen_at >= this.policy.sessionIdleMs) return null;
    // Record activity at most once a minute: one write per active user per minute, not per request.
    if (now - session.last_seen_at > MINUTE) await this.repos.sessions.touch(id, now);
    return { sessionId: id, principal: principalOfUser(user), user: userFromRow(user), csrfToken: session.csrf_token };
  }

  async logout(session: ActiveSession): Promise<void> {
    await this.repos.sessions.revoke(session.sessionId, this.clock());
    await this.audit.record(session.principal, 'auth.logout', `user:${session.user.id}`);
  }

  // ——— API keys ———

  async resolveApiKey(secret: string): Promise<Principal | null> {
    if (!secret || secret.length > 200) return null;
    const key = await this.repos.apiKeys.findActiveByHash(sha256(secret));
    if (!key) return null;
    const now = this.clock();
    if (key.last_used_at === null || now - key.last_used_at > MINUTE) await this.repos.apiKeys.touch(key.id, now);
    const scopes = JSON.parse(key.scopes_json) as string[];
    return { kind: 'apiKey', userId: null, apiKeyId: key.id, name: `API key "${key.name}"`, role: null, grants: grantsOfScopes(scopes) };
  }
}

export { sha256 as hashSecret, newToken };
