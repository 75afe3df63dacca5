/**
 * Newsroom roles and the capability matrix, as data. Routes require a capability
 * (`requireCapability`); services then check the grant against the article's author:
 * `own` applies to the principal's own articles only, `all` to anyone's.
 */
export const ROLES = ['owner', 'editor', 'author', 'contributor'] as const;
export type Role = (typeof ROLES)[number];

export const CAPABILITIES = [
  'articles.read',
  'articles.create',
  /** Change content. Changing a live (published or scheduled) article also needs `articles.publish`. */
  'articles.edit',
  'articles.submit',
  /** publish, schedule, unpublish, correct, embargo. */
  'articles.publish',
  'articles.kill',
  /** Delete drafts. */
  'articles.delete',
  'media.read',
  /** Upload photos and video. */
  'media.upload',
  /** Alt text, caption, credit, licence, focal point. Media shown in a live article also needs the right to edit and publish that article. */
  'media.edit',
  /** Delete unused media. */
  'media.delete',
  'taxonomy.read',
  'taxonomy.write',
  'contentTypes.write',
  'users.read',
  'users.manage',
  'apiKeys.manage',
  'audit.read',
  /** Manage wire sources and turn Incoming items into drafts. */
  'wires.manage',
  /** Write live blog entries (add, edit, correct, pin, delete) and start or end a live blog. */
  'live.write',
  /** Set or clear the breaking-news banner of a language. */
  'breaking.write',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type Grant = 'own' | 'all';
export type Grants = Partial<Record<Capability, Grant>>;

const CONTRIBUTOR: Grants = {
  'articles.read': 'all',
  'articles.create': 'all',
  'articles.edit': 'own',
  'articles.submit': 'own',
  'articles.delete': 'own',
  'taxonomy.read': 'all',
  'media.read': 'all',
  'media.upload': 'all',
  'media.edit': 'all',
};
const AUTHOR: Grants = { ...CONTRIBUTOR, 'articles.publish': 'own', 'live.write': 'all' };
const EDITOR: Grants = {
  ...AUTHOR,
  'articles.edit': 'all',
  'articles.submit': 'all',
  'articles.publish': 'all',
  'articles.kill': 'all',
  'articles.delete': 'all',
  'media.delete': 'all',
  'taxonomy.write': 'all',
  'contentTypes.write': 'all',
  'users.read': 'all',
  'audit.read': 'all',
  'wires.manage': 'all',
  'breaking.write': 'all',
};
const OWNER: Grants = { ...EDITOR, 'users.manage': 'all', 'apiKeys.manage': 'all' };

/** The matrix: what each role may do. */
export const ROLE_GRANTS: Readonly<Record<Role, Readonly<Grants>>> = {
  owner: OWNER,
  editor: EDITOR,
  author: AUTHOR,
  contributor: CONTRIBUTOR,
};

/** Scopes an owner may give an API key: capabilities, granted on all articles. Account management stays with people. */
export const API_KEY_SCOPES: readonly Capability[] = CAPABILITIES.filter((c) => c !== 'users.manage' && c !== 'apiKeys.manage');

/** Who is acting: a signed-in user or an API key. */
export interface Principal {
  kind: 'user' | 'apiKey' | 'system';
  /** The user, or null for an API key. */
  userId: number | null;
  apiKeyId: number | null;
  /** Shown in the audit log and revisions. */
  name: string;
  role: Role | null;
  grants: Grants;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function grantsOfScopes(scopes: readonly string[]): Grants {
  const grants: Grants = {};
  for (const s of scopes) if ((API_KEY_SCOPES as readonly string[]).includes(s)) grants[s as Capability] = 'all';
  return grants;
}

/** Whether the principal holds the capability at all (route-level check). */
export function hasCapability(principal: Principal, capability: Capability): boolean {
  return principal.grants[capability] !== undefined;
}

/** Whether the principal may use the capability on something authored by `authorId`. */
export function canOn(principal: Principal, capability: Capability, authorId: number | null): boolean {
  const grant = principal.grants[capability];
  if (grant === 'all') return true;
  return grant === 'own' && principal.userId !== null && authorId === principal.userId;
}

/** The server itself (scheduled publishing): may do anything, named in the audit log. */
export const SYSTEM_PRINCIPAL: Principal = {
  kind: 'system',
  userId: null,
  apiKeyId: null,
  name: 'scheduler',
  role: null,
  grants: Object.fromEntries(CAPABILITIES.map((c) => [c, 'all'])) as Grants,
};
