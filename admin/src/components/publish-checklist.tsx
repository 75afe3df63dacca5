import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api.js';
import type { PublishChecks } from '../types.js';
import { t } from '../i18n.js';

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
          if (live) setError(t('publishChecklist.saveFirst'));
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
    <div class="sub-form publish-checklist" role="group" aria-label={t('publishChecklist.beforePublishing')}>
      <h3>{t('publishChecklist.beforeItGoesOut')}</h3>
      {error && <p class="error" role="alert">{error}</p>}
      {!checks && !error && <p role="status">{t('publishChecklist.checkingTheArticle')}</p>}
      {checks && (
        <>
          {blocking.length > 0 && (
            <ul class="checklist checklist-blocking" aria-label={t('publishChecklist.mustBeFixed')}>
              {blocking.map((c) => <li key={c.code} data-check={c.code}><strong>{t('publishChecklist.mustFix')}</strong> {c.message}</li>)}
            </ul>
          )}
          {warnings.length > 0 && (
            <ul class="checklist checklist-warning" aria-label={t('publishChecklist.worthALook')}>
              {warnings.map((c) => <li key={c.code} data-check={c.code}><strong>{t('publishChecklist.check')}</strong> {c.message}</li>)}
            </ul>
          )}
          {checks.checks.length === 0 && <p class="notice">{t('publishChecklist.everythingLooksReady')}</p>}
          {children}
          <p>{blocking.length > 0 ? t('publishChecklist.fixTheItemsAboveFirst') : warnings.length > 0 ? t('publishChecklist.goAheadAnyway') : t('publishChecklist.goAhead')}</p>
        </>
      )}
      <div class="button-row">
        <button type="button" class="primary" disabled={busy || !checks || blocking.length > 0} onClick={onConfirm}>{confirmLabel}</button>
        <button type="button" class="secondary" onClick={onCancel}>{t('articleActions.cancel')}</button>
      </div>
    </div>
  );
}
