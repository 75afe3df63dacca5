import { useEffect, useState } from 'preact/hooks';
import type { Translations } from '../../../src/http/schemas/admin-contract.js';
import { api, errorMessage } from '../api.js';
import { statusLabel } from '../format.js';
import { navigate } from '../router.js';
import { LANGUAGES, directionOf } from '../taxonomy.js';
import type { AdminArticle } from '../types.js';
import { t } from '../i18n.js';

const languageName = (tag: string) => LANGUAGES.find((l) => l.tag === tag)?.name ?? tag;

/**
 * "Translate into…": the story's other versions, a button that makes a linked draft in a
 * missing language, and, on a translation, its source beside the editor (read-only).
 */
export function TranslatePanel({ article }: { article: AdminArticle }) {
  const [view, setView] = useState<Translations | null>(null);
  const [source, setSource] = useState<AdminArticle | null>(null);
  const [target, setTarget] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    (async () => {
      const v = await api.get<Translations>(`/api/admin/articles/${article.id}/translations`);
      if (!live) return;
      setView(v);
      setTarget(v.missing[0] ?? '');
      setSource(v.translationOf !== null ? await api.get<AdminArticle>(`/api/admin/articles/${v.translationOf}`).catch(() => null) : null);
    })().catch((err) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [article.id, article.revision]);

  const translate = async () => {
    setBusy(true);
    setError('');
    try {
      const draft = await api.post<AdminArticle>(`/api/admin/articles/${article.id}/translations`, { language: target });
      navigate(`/articles/${draft.id}`);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (!view) return error ? <p class="error" role="alert">{error}</p> : null;
  const others = view.versions.filter((v) => v.id !== article.id);
  return (
    <div class="panel stack translate-panel">
      <h3>{t('translatePanel.translations')}</h3>
      {view.needsTranslation && <p class="notice">{t('translatePanel.needsTranslationThisDraftStill')}</p>}
      {others.length > 0 && (
        <ul>
          {others.map((v) => (
            <li key={v.id}>
              <a href={`/admin/articles/${v.id}`} lang={v.language} dir={directionOf(v.language)}>{v.headline}</a> ({languageName(v.language)}, {statusLabel(v.status)})
            </li>
          ))}
        </ul>
      )}
      {view.missing.length > 0 && (
        <div class="button-row">
          <label>
            {t('translatePanel.translateInto')}{' '}
            <select name="translate-into" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              {view.missing.map((l) => <option key={l} value={l}>{languageName(l)}</option>)}
            </select>
          </label>
          <button type="button" class="secondary" disabled={busy || !target} onClick={() => void translate()}>{t('translatePanel.translate')}</button>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {source && (
        <details open class="translation-source">
          <summary>{t('translatePanel.source', { language: languageName(source.language) })}</summary>
          <div lang={source.language} dir={directionOf(source.language)}>
            <p><strong>{source.headline}</strong></p>
            {source.dek && <p>{source.dek}</p>}
            <div class="source-body" dangerouslySetInnerHTML={{ __html: source.bodyHtml }} />
          </div>
        </details>
      )}
    </div>
  );
}
