import type { FrontPlacement } from '../types.js';
import { t } from '../i18n.js';

/** A placement's headline, or a note that its story is gone. */
export const headlineOf = (p: FrontPlacement) => p.article?.headline ?? `Story ${p.articleId} (deleted)`;

/** `datetime-local` value (the browser's zone) ↔ ISO instant; empty means "until removed". */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : null);

/** "Until" a time: after it the placement stops showing and the place fills again. */
export function ExpiryInput({ placement, label, onSet }: { placement: FrontPlacement; label: string; onSet: (iso: string | null) => void }) {
  return (
    <label class="front-expiry">
      {t('frontPlacements.until')}
      <input type="datetime-local" aria-label={t('frontPlacements.showUntil', { name: label })} value={toLocalInput(placement.expiresAt)} onInput={(e) => onSet(fromLocalInput(e.currentTarget.value))} />
    </label>
  );
}
