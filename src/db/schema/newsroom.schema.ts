import type { ColumnType, Generated, Selectable } from 'kysely';

/** Accounts, sessions, API keys, audit log, revisions, workflow (migration 004). */
export interface NewsroomTables {
  users: UserTable;
  sessions: SessionTable;
  one_time_tokens: OneTimeTokenTable;
  login_throttle: LoginThrottleTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  revisions: RevisionTable;
}

/** Columns migration 004 adds to `articles` (ArticleTable extends this). */
export interface NewsroomArticleColumns {
  author_id: ColumnType<number | null, number | null | undefined, number | null>;
  scheduled_at: ColumnType<number | null, number | null | undefined, number | null>;
  embargo_until: ColumnType<number | null, number | null | undefined, number | null>;
  /** JSON array of `{at, note}` (epoch ms), oldest first. */
  corrections_json: ColumnType<string, string | undefined, string>;
}

export type UserRole = 'owner' | 'editor' | 'author' | 'contributor';

export interface UserTable {
  id: Generated<number>;
  /** Lower-cased. */
  email: string;
  name: string;
  role: UserRole;
  /** `scrypt$N$r$p$salt$hash`; null until an invitation is accepted. */
  password_hash: string | null;
  disabled: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface SessionTable {
  /** SHA-256 of the cookie token (the token itself is never stored). */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  /** Absolute expiry. */
  expires_at: number;
  revoked_at: number | null;
  ip: string;
  user_agent: string;
}

export type OneTimeTokenKind = 'setup' | 'invite';

export interface OneTimeTokenTable {
  /** SHA-256 of the token. */
  token_hash: string;
  kind: OneTimeTokenKind;
  user_id: number | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface LoginThrottleTable {
  /** `account:<email>` or `ip:<address>`. */
  key: string;
  failures: number;
  window_start: number;
  locked_until: number;
}

export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  /** First characters of the secret, to recognise a key in lists. */
  prefix: string;
  /** SHA-256 of the secret. */
  secret_hash: string;
  /** JSON array of capability names. */
  scopes_json: string;
  created_by: number | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  user_id: number | null;
  api_key_id: number | null;
  /** Who, as shown at the time (user name or `API key "<name>"`). */
  actor_name: string;
  action: string;
  /** e.g. `article:12`, `user:3`. */
  subject: string;
  detail: string;
}

export interface RevisionTable {
  id: Generated<number>;
  article_id: number;
  /** The article's `revision` this snapshot is. */
  number: number;
  /** save, autosave, create, restore, or a transition action (publish, kill, …). */
  action: string;
  autosave: ColumnType<number, number | undefined, number>;
  created_at: number;
  user_id: number | null;
  actor_name: string;
  /** JSON of the editable fields and status (see RevisionSnapshot). */
  snapshot_json: string;
}

export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type RevisionRow = Selectable<RevisionTable>;
