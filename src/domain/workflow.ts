import type { ArticleStatus } from './article.js';
import type { Capability } from './roles.js';

/**
 * Article workflow: draft → submitted → scheduled → published (→ updated by saves,
 * corrected) → unpublished or killed. Each action names the states it starts from,
 * where it goes, and the capability it needs on the article.
 */
export const TRANSITION_ACTIONS = ['submit', 'return', 'publish', 'schedule', 'unpublish', 'kill', 'correct', 'embargo'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

export interface TransitionRule {
  from: readonly ArticleStatus[];
  /** Target status; `same` keeps the current one. */
  to: ArticleStatus | 'same';
  capability: Capability;
}

export const TRANSITIONS: Readonly<Record<TransitionAction, TransitionRule>> = {
  submit: { from: ['draft'], to: 'submitted', capability: 'articles.submit' },
  return: { from: ['submitted', 'scheduled'], to: 'draft', capability: 'articles.edit' },
  publish: { from: ['draft', 'submitted', 'scheduled', 'unpublished'], to: 'published', capability: 'articles.publish' },
  schedule: { from: ['draft', 'submitted', 'scheduled', 'unpublished'], to: 'scheduled', capability: 'articles.publish' },
  unpublish: { from: ['published'], to: 'unpublished', capability: 'articles.publish' },
  kill: { from: ['draft', 'submitted', 'scheduled', 'published', 'unpublished'], to: 'killed', capability: 'articles.kill' },
  correct: { from: ['published'], to: 'same', capability: 'articles.publish' },
  embargo: { from: ['draft', 'submitted', 'scheduled', 'published', 'unpublished'], to: 'same', capability: 'articles.publish' },
};

/** Statuses in which an article is (or is about to be) public: changing it is a publishing act. */
export const LIVE_STATUSES: readonly ArticleStatus[] = ['published', 'scheduled'];

/** Statuses autosave may write to: nothing readers can see changes under it. */
export const AUTOSAVE_STATUSES: readonly ArticleStatus[] = ['draft', 'submitted', 'unpublished', 'killed'];

/** A dated correction note shown on the article page. */
export interface Correction {
  /** Epoch ms. */
  at: number;
  note: string;
}

export function parseCorrections(json: string | null | undefined): Correction[] {
  if (!json) return [];
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((c): c is Correction => !!c && typeof c.at === 'number' && typeof c.note === 'string');
  } catch {
    return [];
  }
}
