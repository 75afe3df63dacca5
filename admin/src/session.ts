import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AdminArticleSummary, Role, User } from './types.js';

export interface SessionContextValue {
  user: User;
  logout(): Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in screen');
  return value;
}

const RANK: Record<Role, number> = { contributor: 0, author: 1, editor: 2, owner: 3 };

export function atLeast(user: User, role: Role): boolean {
  return RANK[user.role] >= RANK[role];
}

/**
 * What the role matrix of the contract lets this user do to this article: contributors
 * edit and submit their own, authors also publish their own, editors and owners act on
 * anyone's and kill. Changing a live (published/scheduled) article needs publishing rights.
 */
export function capabilities(user: User, article: Pick<AdminArticleSummary, 'authorId' | 'status'>) {
  const own = article.authorId === user.id;
  const editorial = atLeast(user, 'editor');
  const publishes = editorial || (own && atLeast(user, 'author'));
  const live = article.status === 'published' || article.status === 'scheduled';
  const editable = (editorial || own) && (!live || publishes) && (article.status !== 'killed' || editorial);
  return { own, editorial, publishes, editable, kills: editorial };
}
