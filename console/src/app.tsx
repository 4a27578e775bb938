import { Suspense, useEffect, useMemo, useSyncExternalStore } from 'react';
import { Provider } from 'urql';
import { createGraphqlClient } from './graphql/client';
import { Link, usePath } from './router';
import { matchRoute, ROUTES } from './routes';
import { isEmbedded, onCredentialChange, readCredential, signOut } from './session';
import { SignInPage } from './pages/sign-in/sign-in-page';

export function App() {
  const credential = useSyncExternalStore(onCredentialChange, readCredential);
  if (!credential) return <SignInPage />;
  return <SignedIn credential={credential} />;
}

function SignedIn({ credential }: { credential: string }) {
  const { client, dispose } = useMemo(() => createGraphqlClient(credential), [credential]);
  useEffect(() => dispose, [dispose]);
  const path = usePath();
  const match = matchRoute(path);
  const embedded = isEmbedded();
  useEffect(() => {
    document.title = `${match?.route.title ?? 'Not found'} · Hookline`;
  }, [match?.route.title]);
  const Page = match?.route.page;
  return (
    <Provider value={client}>
      {!embedded && (
        <header className="chrome">
          <span className="brand">Hookline</span>
          <nav aria-label="Main">
            <ul>
              {ROUTES.filter((r) => r.nav).map((r) => (
                <li key={r.pattern}>
                  <Link to={r.pattern} aria-current={match?.route === r ? 'page' : undefined}>
                    {r.nav}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </header>
      )}
      <main>
        <Suspense fallback={<p role="status">Loading…</p>}>
          {Page ? (
            <Page params={match.params} />
          ) : (
            <section>
              <h1>Not found</h1>
              <p>
                No page at this address. <Link to="/">Go to the endpoints</Link>.
              </p>
            </section>
          )}
        </Suspense>
      </main>
    </Provider>
  );
}
