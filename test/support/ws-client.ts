import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface LiveSubscription<T> {
  events: T[];
  errors: unknown[];
  /** Resolves with the first event matching the predicate (already received or future). */
  next(predicate?: (event: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
  closeCode(): Promise<number>;
}

/** A real graphql-ws client, authenticated through connectionParams as the contract says. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function subscribe<T = Record<string, any>>(
  wsUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): LiveSubscription<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const waiters: { predicate: (e: T) => boolean; resolve: (e: T) => void }[] = [];
  let resolveClose: (code: number) => void = () => undefined;
  const closed = new Promise<number>((r) => (resolveClose = r));
  const client: Client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => resolveClose((event as { code: number }).code) },
  });
  client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(...value.errors);
        if (!value.data) return;
        events.push(value.data as T);
        for (const w of [...waiters]) {
          if (w.predicate(value.data as T)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(value.data as T);
          }
        }
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return {
    events,
    errors,
    next(predicate = () => true, timeoutMs = 10_000) {
      const found = events.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no matching subscription event within ${timeoutMs} ms; got ${JSON.stringify(events)} errors ${JSON.stringify(errors)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
    async close() {
      await client.dispose();
    },
    closeCode: () => closed,
  };
}

/** Opens a raw graphql-transport-ws socket, to observe what the server does with misbehaving clients. */
export function rawSocket(
  wsUrl: string,
): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      socket.on('close', (code, reason) => r({ code, reason: reason.toString() })),
    );
    socket.once('open', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}
