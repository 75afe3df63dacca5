import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import type { PublishChecks } from '../types.js';

interface Props {
  articleId: number;
  /** Saves pending edits first so the checks see what the editor sees; false stops. */
  prepare: () => Promise<boolean>;
  /** Text of the confirm button ("Publish now", "Schedule"…). */
  confirmLabel: string;
  /** Shown above the confirm button (for example the schedule time field). */
  children?: preact.ComponentChildren;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * The checklist shown before publish or schedule: the server's blocking items (which
 * keep the confirm button disabled) and warnings (which the editor confirms past).
 */
export function PublishChecklist({ articleId, prepare, confirmLabel, children, busy, onConfirm, onCancel }: Props) {
  const [checks, setChecks] = useState<PublishChecks | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        if (!(await prepare())) {
          if (live) setError('Save your changes first; the checklist runs on the saved version.');
          return;
        }
        const result = await api.get<PublishChecks>(`/api/admin/articles/${articleId}/publish-checks`);
        if (live) setChecks(result);
      } catch (err) {
        if (live) setError(errorMessage(err));
      }
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [articleId]);

  const blocking = checks?.checks.filter((c) => c.severity === 'blocking') ?? [];
  const warnings = checks?.checks.filter((c) => c.severity === 'warning') ?? [];
  return (
    <div class="sub-form publish-checklist" role="group" aria-label="Before publishing">
      <h3>Before it goes out</h3>
      {error && <p class="error" role="alert">{error}</p>}
      {!checks && !error && <p role="status">Checking the article…</p>}
      {checks && (
        <>
          {blocking.length > 0 && (
            <ul class="checklist checklist-blocking" aria-label="Must be fixed">
              {blocking.map((c) => <li key={c.code} data-check={c.code}><strong>Must fix:</strong> {c.message}</li>)}
            </ul>
          )}
          {warnings.length > 0 && (
            <ul class="checklist checklist-warning" aria-label="Worth a look">
              {warnings.map((c) => <li key={c.code} data-check={c.code}><strong>Check:</strong> {c.message}</li>)}
            </ul>
          )}
          {checks.checks.length === 0 && <p class="notice">Everything looks ready.</p>}
          {children}
          <p>{blocking.length > 0 ? 'Fix the items above first.' : warnings.length > 0 ? 'Go ahead anyway?' : 'Go ahead?'}</p>
        </>
      )}
      <div class="button-row">
        <button type="button" class="primary" disabled={busy || !checks || blocking.length > 0} onClick={onConfirm}>{confirmLabel}</button>
        <button type="button" class="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}
