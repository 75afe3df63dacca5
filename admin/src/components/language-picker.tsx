import { APP_LANGUAGES, appLanguage, setAppLanguage, t, type AppLanguage } from '../i18n.js';

/** The interface language, chosen per browser; each language is named in itself. */
export function LanguagePicker() {
  return (
    <label class="language-picker">
      <span class="visually-hidden">{t('common.interfaceLanguage')}</span>
      <select name="ui-language" value={appLanguage()} onChange={(e) => void setAppLanguage(e.currentTarget.value as AppLanguage)}>
        {APP_LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
