import type { EditorForm } from './editor-form.js';

/**
 * Unsaved editor text kept in localStorage, so an expired session, a closed tab or a
 * failed save never loses what the user typed. Cleared once the server has it.
 */
export interface LocalDraft {
  form: EditorForm;
  baseRevision: number | null;
  savedAt: number;
}

const key = (articleId: number | 'new') => `dateline.admin.draft.${articleId}`;

export function saveLocalDraft(articleId: number | 'new', draft: LocalDraft): void {
  try {
    localStorage.setItem(key(articleId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: nothing better to do than keep the text on screen.
  }
}

export function loadLocalDraft(articleId: number | 'new'): LocalDraft | null {
  try {
    const raw = localStorage.getItem(key(articleId));
    return raw ? (JSON.parse(raw) as LocalDraft) : null;
  } catch {
    return null;
  }
}

export function clearLocalDraft(articleId: number | 'new'): void {
  try {
    localStorage.removeItem(key(articleId));
  } catch {
    // ignore
  }
}
