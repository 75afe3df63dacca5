import type { Kysely } from 'kysely';
import type { NewsroomRepositories } from '../db/repositories/newsroom-repositories.js';
import type { Database } from '../db/schema.js';
import type { ApiKeyRow } from '../db/schema/newsroom.schema.js';
import { DomainError } from '../domain/errors.js';
import { text } from '../site/i18n.js';
import { API_KEY_SCOPES, isRole, type Principal, type Role } from '../domain/roles.js';
import type { User } from '../domain/user.js';
import type { AuditService } from './audit.service.js';
import { hashSecret, newToken, userFromRow, validateNewUser, type AuthService } from './auth.service.js';
import type { Clock } from './clock.js';

export interface ApiKeyInfo {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  createdBy: number | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

function apiKeyFromRow(r: ApiKeyRow): ApiKeyInfo {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: JSON.parse(r.scopes_json) as string[],
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

/** Managing accounts (invitations, roles, disabling) and integration API keys. */
export class NewsroomUsersService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repos: NewsroomRepositories,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<User[]> {
    return (await this.repos.users.list()).map(userFromRow);
  }

  /** Creates an account without a password and returns the one-time invitation token. */
  async invite(actor: Principal, input: { email: string; name: string; role: string }): Promise<{ user: User; token: string }> {
    const valid = validateNewUser(input.email, input.name, input.role);
    if (await this.repos.users.findByEmail(valid.email)) throw new DomainError('EMAIL_TAKEN', text('emailTaken', { email: valid.email }));
    const id = await this.db.transaction().execute(async (trx) => {
      const id = await this.repos.users.insert({ ...valid, passwordHash: null }, this.clock(), trx);
      await this.audit.record(actor, 'user.invite', `user:${id}`, `Invited ${valid.email} as ${valid.role}`, trx);
      return id;
    });
    const token = await this.auth.createInviteToken(id);
    return { user: userFromRow((await this.repos.users.findById(id))!), token };
  }

  /** Renames, changes role, disables (which ends all the user's sessions) or enables. */
  async update(actor: Principal, id: number, changes: { name?: string; role?: string; disabled?: boolean }): Promise<User> {
    if (changes.role !== undefined && !isRole(changes.role)) throw new DomainError('VALIDATION_FAILED', text('unknownRole', { role: String(changes.role) }));
    const name = changes.name?.trim();
    if (name !== undefined && (!name || name.length > 200)) throw new DomainError('VALIDATION_FAILED', text('nameLength'));
    const role = changes.role as Role | undefined;
    await this.db.transaction().execute(async (trx) => {
      const user = await this.repos.users.findById(id, trx);
      if (!user) throw new DomainError('USER_NOT_FOUND', text('userNotFound', { id: String(id) }));
      const losesOwner = user.role === 'owner' && !user.disabled && ((role !== undefined && role !== 'owner') || changes.disabled === true);
      if (losesOwner && (await this.repos.users.countActiveOwners(trx)) <= 1) {
        throw new DomainError('LAST_OWNER', text('lastOwner'));
      }
      await this.repos.users.update(id, { name, role, disabled: changes.disabled }, this.clock(), trx);
      // Credentials die with their owner: sessions end and the keys they made are revoked, at once.
      let keysRevoked = 0;
      if (changes.disabled) {
        await this.repos.sessions.revokeAllOf(id, this.clock(), trx);
        keysRevoked = await this.repos.apiKeys.revokeAllOf(id, this.clock(), trx);
      }
      const what = [
        name !== undefined && name !== user.name ? `name → ${name}` : '',
        role !== undefined && role !== user.role ? `role ${user.role} → ${role}` : '',
        changes.disabled !== undefined && changes.disabled !== (user.disabled === 1) ? (changes.disabled ? 'disabled (sessions revoked)' : 'enabled') : '',
        keysRevoked ? `${keysRevoked} API key(s) revoked` : '',
      ].filter(Boolean);
      await this.audit.record(actor, 'user.update', `user:${id}`, `${user.email}: ${what.join(', ') || 'no change'}`, trx);
    });
    return userFromRow((await this.repos.users.findById(id))!);
  }

  async listApiKeys(): Promise<ApiKeyInfo[]> {
    return (await this.repos.apiKeys.list()).map(apiKeyFromRow);
  }

  /** A new key; the secret is returned once and only its hash is kept. */
  async createApiKey(actor: Principal, input: { name: string; scopes: string[] }): Promise<{ apiKey: ApiKeyInfo; secret: string }> {
    const name = input.name.trim();
    if (!name || name.length > 100) throw new DomainError('VALIDATION_FAILED', text('keyNameLength'));
    const unknown = input.scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
    if (unknown.length) throw new DomainError('VALIDATION_FAILED', text('unknownScopes', { unknown: unknown.join(', '), scopes: API_KEY_SCOPES.join(', ') }));
    if (!input.scopes.length) throw new DomainError('VALIDATION_FAILED', text('keyNeedsScope'));
    const secret = `dl_${newToken()}`;
    const scopes = [...new Set(input.scopes)];
    const id = await this.repos.apiKeys.insert({ name, prefix: secret.slice(0, 10), secretHash: hashSecret(secret), scopes, createdBy: actor.userId }, this.clock());
    await this.audit.record(actor, 'api-key.create', `api-key:${id}`, `"${name}" with scopes ${scopes.join(', ')}`);
    return { apiKey: apiKeyFromRow((await this.repos.apiKeys.findById(id))!), secret };
  }

  async revokeApiKey(actor: Principal, id: number): Promise<void> {
    const key = await this.repos.apiKeys.findById(id);
    if (!key) throw new DomainError('API_KEY_NOT_FOUND', text('apiKeyNotFound', { id: String(id) }));
    if (await this.repos.apiKeys.revoke(id, this.clock())) await this.audit.record(actor, 'api-key.revoke', `api-key:${id}`, `"${key.name}" revoked`);
  }
}
