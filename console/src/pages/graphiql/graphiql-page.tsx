import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo } from 'react';
import { GRAPHQL_PATH, wsUrl } from '../../graphql/client';
import { readCredential } from '../../session';

const DEFAULT_QUERY = `# The signed-in credential is sent as the Authorization header (and on the socket).
query Endpoints {
  endpoints(first: 5) {
    edges { node { id url isActive } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/**
 * GraphiQL (bundled from npm; Monaco's workers are built by Vite, nothing from a CDN). Queries and mutations go
 * over HTTP with the signed-in credential as the Authorization header, subscriptions over graphql-ws with it in
 * connectionParams. The credential is not put in GraphiQL's headers editor, so it is never written to storage.
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
  return (
    <section className="graphiql-page">
      <h1>API explorer</h1>
      <p className="muted">Requests are sent with the credential you signed in with.</p>
      <div className="graphiql-frame" style={{ height: '75vh', minHeight: 480 }}>
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} shouldPersistHeaders={false} />
      </div>
    </section>
  );
}
