import { Layout } from '../components/layout.js';
import { uiStrings } from '../i18n.js';
import type { PageChrome } from '../site-context.js';

/** 404, 410 (removed), 429, 400 and the generic 500 page: a plain message, never internals. */
export function ErrorPage({ chrome, status, language = chrome.site.defaultLanguage }: { chrome: PageChrome; status: number; language?: string }) {
  const t = uiStrings(language);
  const [title, text] =
    status === 410
      ? [t.goneTitle, t.goneText]
      : status === 404
      ? [t.notFoundTitle, t.notFoundText]
      : status === 429
      ? [t.tooManyTitle, t.tooManyText]
      : status < 500
        ? [t.badRequestTitle, t.badRequestText]
        : [t.errorTitle, t.errorText];
  return (
    <Layout chrome={chrome} language={language} title={title}>
      <div class="error-page">
        <p class="status">{status}</p>
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a href={chrome.site.urls.path(language, '/')}>{t.home}</a>
        </p>
      </div>
    </Layout>
  );
}
