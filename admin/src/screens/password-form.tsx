import { useState } from 'preact/hooks';

/** Name/email/password fields shared by first-run setup and invitation acceptance. */
export function PasswordFields({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm !== '' && confirm !== value;
  return (
    <>
      <label>
        Password <small>(at least 10 characters)</small>
        <input type="password" name="password" autoComplete="new-password" minLength={10} required value={value} onInput={(e) => onChange(e.currentTarget.value)} />
      </label>
      <label>
        Repeat the password
        <input
          type="password"
          name="password-confirm"
          autoComplete="new-password"
          required
          value={confirm}
          aria-invalid={mismatch}
          onInput={(e) => {
            setConfirm(e.currentTarget.value);
            e.currentTarget.setCustomValidity(e.currentTarget.value === value ? '' : 'The passwords differ.');
          }}
        />
      </label>
      {mismatch && <p class="error">The passwords differ.</p>}
    </>
  );
}
