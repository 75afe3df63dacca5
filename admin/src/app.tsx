import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api, errorMessage, setCsrfToken, setUnauthenticatedHandler } from './api.js';
import { match, navigate, onLinkClick, useLocation } from './router.js';
import { ArticleEditorScreen } from './screens/article-editor.js';
import { ApiKeysScreen } from './screens/api-keys.js';
import { ArticleListScreen } from './screens/article-list.js';
import { AuditLogScreen } from './screens/audit-log.js';
import { ContentTypesScreen } from './screens/content-types.js';
import { ForgotPasswordScreen } from './screens/forgot-password.js';
import { InviteScreen } from './screens/invite.js';
import { LoginScreen } from './screens/login.js';
import { MediaLibraryScreen } from './screens/media-library.js';
import { ResetPasswordScreen } from './screens/reset-password.js';
import { RevisionsScreen } from './screens/revisions.js';
import { SectionsScreen } from './screens/sections.js';
import { SetupScreen } from './screens/setup.js';
import { TagsScreen } from './screens/tags.js';
import { UsersScreen } from './screens/users.js';
import { FrontsScreen } from './screens/fronts.js';
import { LiveDeskScreen } from './screens/live-desk.js';
import { WebhooksScreen } from './screens/webhooks.js';
import { IncomingScreen } from './screens/incoming.js';
import { WireSourcesScreen } from './screens/wire-sources.js';
import { SessionContext, atLeast } from './session.js';
import type { SessionInfo, User } from './types.js';
import { t, useAppLanguage } from './i18n.js';
import { LanguagePicker } from './components/language-picker.js';

type Boot = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; user: User | null; setupNeeded: boolean };

export function App() {
  const loc = useLocation();
  // The whole app re-renders in the new language when the person switches.
  useAppLanguage();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [expired, setExpired] = useState(false);

  const signedIn = useCallback((info: SessionInfo) => {
    setCsrfToken(info.csrfToken);
    setExpired(false);
    setBoot({ state: 'ready', user: info.user, setupNeeded: false });
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      // The editor has already kept unsaved text in localStorage; after login it is offered back.
      setExpired(true);
      setBoot((b) => (b.state === 'ready' ? { ...b, user: null } : b));
    });
    (async () => {
      try {
        const setup = await api.get<{ needed: boolean }>('/api/admin/setup', { quiet401: true }).catch(() => ({ needed: false }));
        if (setup.needed) return setBoot({ state: 'ready', user: null, setupNeeded: true });
        const info = await api.get<SessionInfo>('/api/admin/session', { quiet401: true });
        signedIn(info);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) setBoot({ state: 'ready', user: null, setupNeeded: false });
        else setBoot({ state: 'error', message: errorMessage(error) });
      }
    })();
  }, [signedIn]);

  const logout = useCallback(async () => {
    await api.del('/api/admin/session').catch(() => undefined);
    setCsrfToken('');
    setBoot({ state: 'ready', user: null, setupNeeded: false });
    navigate('/login');
  }, []);

  if (boot.state === 'loading') return <p class="boot">{t('app.loadingTheNewsroom')}</p>;
  if (boot.state === 'error') return <main class="narrow"><h1>{t('app.newsroom')}</h1><p role="alert" class="error">{boot.message}</p></main>;

  if (loc.path === '/setup' || boot.setupNeeded) return <SetupScreen token={loc.params.get('token') ?? ''} onDone={(i) => { signedIn(i); navigate('/', { replace: true }); }} />;
  if (loc.path === '/invite') return <InviteScreen token={loc.params.get('token') ?? ''} onDone={(i) => { signedIn(i); navigate('/', { replace: true }); }} />;
  if (loc.path === '/forgot-password') return <ForgotPasswordScreen />;
  if (loc.path === '/reset-password') return <ResetPasswordScreen token={loc.params.get('token') ?? ''} onDone={(i) => { signedIn(i); navigate('/', { replace: true }); }} />;
  if (!boot.user) {
    return <LoginScreen expired={expired} onDone={(i) => { signedIn(i); if (loc.path === '/login') navigate('/', { replace: true }); }} />;
  }
  const user = boot.user;
  // The editor rewrites the address after creating an article without a route change; read it afresh.
  const here = window.location.pathname.replace(/^\/admin/, '').replace(/\/+$/, '') || '/';
  const current = (path: string) => (here === path ? 'page' : undefined);
  return (
    <SessionContext.Provider value={{ user, logout }}>
      <div class="shell" onClick={onLinkClick}>
        <a class="skip" href="#main">{t('app.skipToContent')}</a>
        <header class="topbar">
          <a class="brand" href="/admin/">{t('app.newsroom')}</a>
          <nav aria-label={t('app.main')}>
            <ul>
              <li><a href="/admin/" aria-current={current('/')}>{t('app.articles')}</a></li>
              <li><a href="/admin/articles/new" aria-current={current('/articles/new')}>{t('app.newArticle')}</a></li>
              <li><a href="/admin/media" aria-current={current('/media')}>{t('app.media')}</a></li>
              {atLeast(user, 'editor') && <li><a href="/admin/incoming" aria-current={current('/incoming')}>{t('app.incoming')}</a></li>}
              {atLeast(user, 'author') && <li><a href="/admin/live" aria-current={current('/live')}>{t('app.live')}</a></li>}
              {atLeast(user, 'editor') && <li><a href="/admin/fronts/home" aria-current={here.startsWith('/fronts') ? 'page' : undefined}>{t('app.fronts')}</a></li>}
              {atLeast(user, 'editor') && <li><a href="/admin/sections" aria-current={current('/sections')}>{t('app.sections')}</a></li>}
              {atLeast(user, 'editor') && <li><a href="/admin/tags" aria-current={current('/tags')}>{t('app.tags')}</a></li>}
              {atLeast(user, 'editor') && <li><a href="/admin/content-types" aria-current={current('/content-types')}>{t('app.contentTypes')}</a></li>}
              {atLeast(user, 'owner') && <li><a href="/admin/users" aria-current={current('/users')}>{t('app.users')}</a></li>}
              {atLeast(user, 'owner') && <li><a href="/admin/api-keys" aria-current={current('/api-keys')}>{t('app.apiKeys')}</a></li>}
              {atLeast(user, 'editor') && <li><a href="/admin/audit" aria-current={current('/audit')}>{t('app.auditLog')}</a></li>}
              {atLeast(user, 'owner') && <li><a href="/admin/webhooks" aria-current={current('/webhooks')}>{t('app.webhooks')}</a></li>}
            </ul>
          </nav>
          <div class="who">
            <span>{user.name} <small>({t(`common.roles.${user.role}`)})</small></span>
            <LanguagePicker />
            <button type="button" class="link-button" onClick={() => void logout()}>{t('app.signOut')}</button>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <Routes path={loc.path} user={user} />
        </main>
      </div>
    </SessionContext.Provider>
  );
}

function Routes({ path, user }: { path: string; user: User }) {
  if (path === '/' || path === '/login' || path === '/articles') return <ArticleListScreen />;
  if (path === '/articles/new') return <ArticleEditorScreen key="new" articleId={null} />;
  let m = match('/articles/:id', path);
  if (m) return <ArticleEditorScreen key={m.id} articleId={Number(m.id)} />;
  m = match('/articles/:id/history', path);
  if (m) return <RevisionsScreen articleId={Number(m.id)} />;
  if (path === '/media') return <MediaLibraryScreen />;
  if (path === '/live' && atLeast(user, 'author')) return <LiveDeskScreen />;
  m = match('/fronts/:name', path);
  if (m && atLeast(user, 'editor')) return <FrontsScreen name={m.name!} />;
  if (path === '/users' && atLeast(user, 'owner')) return <UsersScreen />;
  if (path === '/sections' && atLeast(user, 'editor')) return <SectionsScreen />;
  if (path === '/tags' && atLeast(user, 'editor')) return <TagsScreen />;
  if (path === '/content-types' && atLeast(user, 'editor')) return <ContentTypesScreen />;
  if (path === '/api-keys' && atLeast(user, 'owner')) return <ApiKeysScreen />;
  if (path === '/audit' && atLeast(user, 'editor')) return <AuditLogScreen />;
  if (path === '/webhooks' && atLeast(user, 'owner')) return <WebhooksScreen />;
  if (path === '/incoming' && atLeast(user, 'editor')) return <IncomingScreen />;
  if (path === '/wire-sources' && atLeast(user, 'editor')) return <WireSourcesScreen />;
  return (
    <section>
      <h1>{t('app.notFound')}</h1>
      <p>{t('app.thereIsNoScreenAt')} <a href="/admin/">{t('app.backToTheArticles')}</a>.</p>
    </section>
  );
}
