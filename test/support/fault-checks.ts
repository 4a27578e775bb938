import { spawn, ChildProcess } from 'node:child_process';
import { Webhook } from 'standardwebhooks';
import { canConnect } from '../../scripts/dev-services';
import { dataOf, gql } from './graphql-client';
import { freePort } from './processes';
import { ReceivedRequest, waitUntil } from './receiver';

/** What a fault scenario ends with (issue 7): deliveries as they stand once nothing is left in progress. */
export interface SettledDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  status: string;
  attemptCount: number;
  lastError: string | null;
  lastResponseStatus: number | null;
}

const UNFINISHED = ['PENDING', 'IN_FLIGHT', 'RETRYING'];
const PAGE = `query($filter: DeliveryFilter, $after: String) { deliveries(filter: $filter, first: 100, after: $after) {
  edges { node { id eventId endpointId status attemptCount lastError lastResponseStatus } } pageInfo { hasNextPage endCursor } } }`;

/** Every delivery matching the filter, through all pages. */
export async function allDeliveries(
  graphqlUrl: string,
  token: string,
  filter: Record<string, unknown>,
): Promise<SettledDelivery[]> {
  const rows: SettledDelivery[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { edges: { node: SettledDelivery }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } =
      dataOf(await gql(graphqlUrl, PAGE, { filter, after }, token)).deliveries;
    rows.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

/**
 * Waits until the endpoint has one delivery per expected event and none is PENDING, IN_FLIGHT or RETRYING, then
 * checks each ended in the expected status.
 */
export async function expectSettled(
  graphqlUrl: string,
  token: string,
  endpointId: string,
  expected: Record<string, string>,
  timeoutMs = 30_000,
): Promise<SettledDelivery[]> {
  const eventIds = Object.keys(expected);
  const rows = await waitUntil(
    async () => {
      const found = await allDeliveries(graphqlUrl, token, { endpointId });
      return found.length >= eventIds.length && found.every((d) => !UNFINISHED.includes(d.status)) ? found : null;
    },
    timeoutMs,
    200,
  );
  expect(rows.map((d) => d.eventId).sort()).toEqual([...eventIds].sort());
  expect(Object.fromEntries(rows.map((d) => [d.eventId, d.status]))).toEqual(expected);
  return rows;
}

/**
 * The receiver side of the check: every event expected to succeed arrived at least once, every copy
 * verifies with standardwebhooks under the secret, and a duplicate carries the same webhook-id as its body id.
 */
export function expectReceived(requests: ReceivedRequest[], secret: string, succeededEventIds: string[]): void {
  const received = new Set(requests.map((r) => r.headers['webhook-id']));
  for (const id of succeededEventIds) expect(received.has(id)).toBe(true);
  const wh = new Webhook(secret);
  for (const req of requests) {
    const body = wh.verify(req.body, {
      'webhook-id': req.headers['webhook-id'],
      'webhook-timestamp': req.headers['webhook-timestamp'],
      'webhook-signature': req.headers['webhook-signature'],
    }) as { id: string };
    expect(body.id).toBe(req.headers['webhook-id']);
  }
}

/** A private redis-server on a free port, so a scenario never touches the shared one; stop() kills it by pid. */
export async function startPrivateRedis(): Promise<{ url: string; stop(): void; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await waitUntil(() => canConnect(port), 10_000);
  return { url: `redis://127.0.0.1:${port}`, process: child, stop: () => void child.kill('SIGKILL') };
}
