import { useState } from 'preact/hooks';
import { t } from '../i18n.js';

/** Name/email/password fields shared by first-run setup and invitation acceptance. */
export function PasswordFields({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm !== '' && confirm !== value;
  return (
    <>
      <label>
        {t('login.password')} <small>{t('passwordForm.atLeast10Characters')}</small>
        <input type="password" name="password" autoComplete="new-password" minLength={10} required value={value} onInput={(e) => onChange(e.currentTarget.value)} />
      </label>
      <label>
        {t('passwordForm.repeatThePassword')}
        <input
          type="password"
          name="password-confirm"
          autoComplete="new-password"
          required
          value={confirm}
          aria-invalid={mismatch}
          onInput={(e) => {
            setConfirm(e.currentTarget.value);
            e.currentTarget.setCustomValidity(e.currentTarget.value === value ? '' : t('passwordForm.thePasswordsDiffer'));
          }}
        />
      </label>
      {mismatch && <p class="error">{t('passwordForm.thePasswordsDiffer')}</p>}
    </>
  );
}
