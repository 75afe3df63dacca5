import { useEffect, useState } from 'preact/hooks';

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
  if (status.kind === 'unsaved') text = status.live ? 'Unsaved changes (press Save to update the live article)' : 'Unsaved changes';
  else if (status.kind === 'saving') text = 'Saving…';
  else if (status.kind === 'saved') text = `${status.autosave ? 'Draft saved' : 'Saved'} at ${new Date(status.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
  else if (status.kind === 'conflict') text = 'Conflict: someone else saved a newer version — merge below';
  else if (status.kind === 'error') text = status.message;
  return (
    <p class={`save-status save-${status.kind}`} role="status" aria-live="polite" data-state={status.kind}>
      {text}
    </p>
  );
}
