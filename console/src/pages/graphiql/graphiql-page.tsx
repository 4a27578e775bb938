import 'graphiql/style.css';
import './graphiql-page.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo, useRef } from 'react';
import { GRAPHQL_PATH, wsUrl } from '../../graphql/client';
import { readCredential } from '../../session';
import { improveGraphiqlA11y } from './graphiql-a11y';

const DEFAULT_QUERY = `# The signed-in credential is sent as the Authorization header (and on the socket).
query Endpoints {
  endpoints(first: 5) {
    edges { node { id url isActive } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/**
 * GraphiQL 4 (CodeMirror 5), bundled from npm: nothing from a CDN. GraphiQL 5's Monaco editor writes style
 * attributes through innerHTML and <style> elements at run time, which the console's CSP (style-src 'self')
 * refuses (microsoft/monaco-editor#271), so the explorer stays on the newest GraphiQL that runs under it.
 * Queries and mutations go over HTTP with the signed-in credential as the Authorization header, subscriptions over
 * graphql-ws with it in connectionParams. The credential is not put in GraphiQL's headers editor, so GraphiQL never
 * writes it to storage.
 */
export default function GraphiqlPage() {
  const credential = readCredential() ?? '';
  const { fetcher, dispose } = useMemo(() => {
    const authorization = `Bearer ${credential}`;
    const wsClient = createClient({ url: wsUrl(), connectionParams: { authorization }, lazy: true });
    return {
      fetcher: createGraphiQLFetcher({ url: GRAPHQL_PATH, headers: { authorization }, wsClient }),
      dispose: () => void wsClient.dispose(),
    };
  }, [credential]);
  useEffect(() => dispose, [dispose]);
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => (frame.current ? improveGraphiqlA11y(frame.current) : undefined), []);
  return (
    <section className="graphiql-page">
      <h1>API explorer</h1>
      <p className="muted">Requests are sent with the credential you signed in with.</p>
      <div ref={frame} className="graphiql-frame" style={{ height: '75vh', minHeight: 480 }}>
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} shouldPersistHeaders={false} />
      </div>
    </section>
  );
}
