import { Suspense, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Provider } from 'urql';
import { Badge } from './components/badges';
import { ErrorDisplay } from './components/error-display';
import { SessionEnded } from './components/session-ended';
import { createGraphqlClient } from './graphql/client';
import { probeViewer, ProbeOutcome } from './graphql/portal';
import { Link, usePath } from './router';
import { matchRoute, RouteDef, ROUTES } from './routes';
import { isEmbedded, onCredentialChange, readCredential, readSessionEnd, signOut } from './session';
import { SignInPage } from './pages/sign-in/sign-in-page';
import { ViewerContext } from './viewer';

export function App() {
  const credential = useSyncExternalStore(onCredentialChange, readCredential);
  const ended = useSyncExternalStore(onCredentialChange, readSessionEnd);
  if (!credential && ended) return <SessionEnded end={ended} />;
  if (!credential) return <SignInPage />;
  return <SignedIn credential={credential} />;
}

function SignedIn({ credential }: { credential: string }) {
  const { client, dispose } = useMemo(() => createGraphqlClient(credential), [credential]);
  useEffect(() => dispose, [dispose]);
  // What the credential may use, asked of the API before any page renders (a portal session's end shows at once).
  const [probe, setProbe] = useState<ProbeOutcome | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setProbe(null);
    void probeViewer(client).then((outcome) => live && setProbe(outcome));
    return () => {
      live = false;
    };
  }, [client, attempt]);
  const path = usePath();
  const match = matchRoute(path);
  const embedded = isEmbedded();
  useEffect(() => {
    document.title = `${match?.route.title ?? 'Not found'} · Hookline`;
  }, [match?.route.title]);
  if (!probe || 'end' in probe) return <p role="status">Loading…</p>;
  if ('error' in probe)
    return (
      <main>
        <h1>Hookline cannot be reached</h1>
        <ErrorDisplay error={probe.error} />
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </main>
    );
  const viewer = probe.viewer;
  const allowed = (r: RouteDef) => !(r.tenantWide && viewer.channel !== null);
  const Page = match?.route.page;
  return (
    <Provider value={client}>
      <ViewerContext.Provider value={viewer}>
        {!embedded && (
          <header className="chrome">
            <span className="brand">Hookline</span>
            {viewer.channel !== null && (
              <Badge tone="info" testId="session-channel">{`Channel: ${viewer.channel}`}</Badge>
            )}
            <nav aria-label="Main">
              <ul>
                {ROUTES.filter((r) => r.nav && allowed(r)).map((r) => (
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
            {Page && !allowed(match.route) ? (
              <section>
                <h1>Not available with this link</h1>
                <p role="alert" className="error">
                  This link is limited to the channel <code>{viewer.channel}</code>. {match.route.title} covers the
                  whole account, so it cannot be opened here.
                </p>
                <p>
                  <Link to="/">Go to the endpoints</Link>.
                </p>
              </section>
            ) : Page ? (
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
      </ViewerContext.Provider>
    </Provider>
  );
}
