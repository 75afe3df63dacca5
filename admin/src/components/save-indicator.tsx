import { useEffect, useState } from 'preact/hooks';
import { appLanguage, t } from '../i18n.js';

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'unsaved'; live?: boolean }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number; autosave: boolean }
  | { kind: 'conflict' }
  | { kind: 'error'; message: string };

/** The always-visible save state of the editor, announced politely to screen readers. */
export function SaveIndicator({ status }: { status: SaveStatus }) {
  const [, setNow] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  let text = '';
  if (status.kind === 'unsaved') text = status.live ? t('saveIndicator.unsavedLive') : t('saveIndicator.unsaved');
  else if (status.kind === 'saving') text = t('saveIndicator.saving');
  else if (status.kind === 'saved') {
    const time = new Date(status.at).toLocaleTimeString(appLanguage(), { hour: '2-digit', minute: '2-digit' });
    text = status.autosave ? t('saveIndicator.draftSavedAt', { time }) : t('saveIndicator.savedAt', { time });
  }
  else if (status.kind === 'conflict') text = t('saveIndicator.conflict');
  else if (status.kind === 'error') text = status.message;
  return (
    <p class={`save-status save-${status.kind}`} role="status" aria-live="polite" data-state={status.kind}>
      {text}
    </p>
  );
}
