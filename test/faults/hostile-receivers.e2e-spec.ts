/**
 * Fault scenario 5 (issue 7): receivers that hold the connection open, trickle one byte a second, send a 50 MB
 * body, or redirect to the cloud metadata address. Every attempt ends at DELIVERY_TIMEOUT_MS with a clear
 * error (Hookline hangs up; no wall-clock is measured), deliveries end as the contract says, and the worker
 * process (its RSS read from /proc) does not balloon.
 * A private redis-server, and the app as separate api and worker processes.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { expectReceived, expectSettled, startPrivateRedis } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { ReceiverPool, Responder, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const TIMEOUT_MS = 2000;
const ATTEMPTS = 4; // DELIVERY_RETRY_SCHEDULE=1s,1s,1s
const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const ATTEMPTS_OF = `query($id: ID!) { delivery(id: $id) { status attemptCount lastError lastResponseStatus attempts { attemptNumber startedAt responseStatus responseTimeMs responseBody error } } }`;
const ORDER = {
  order: { id: 'ord_fault5', status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
};
const MB = 1024 * 1024;

interface Attempt {
  attemptNumber: number;
  startedAt: string;
  responseStatus: number | null;
  responseTimeMs: number | null;
  responseBody: string | null;
  error: string | null;
}

/** Resident set size of a process, from /proc. */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0) * 1024;
}

describe('fault 5: hostile receivers', () => {
  let graphqlUrl = '';
  let worker: AppProcess;
  const processes: AppProcess[] = [];
  let redis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
  let token = '';
  const receivers = new ReceiverPool();
  const timers = new Set<NodeJS.Timeout>();

  const receiver = receivers.start;
  const endpoint = async (url: string): Promise<{ id: string; secret: string }> => {
    const res = dataOf(await gql(graphqlUrl, CREATE, { input: { url } }, token)).createEndpoint;
    return { id: res.endpoint.id, secret: res.secret };
  };
  const publish = async (): Promise<string> =>
    dataOf(await gql(graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, token))
      .publishEvent.id;
  const attemptsOf = async (deliveryId: string): Promise<Attempt[]> =>
    dataOf(await gql(graphqlUrl, ATTEMPTS_OF, { id: deliveryId }, token)).delivery.attempts;
  /** The responder, and how many of its requests the client hung up on before this side had finished answering. */
  const counted = (responder: Responder): { responder: Responder; hungUp: () => number } => {
    let hungUp = 0;
    return {
      responder: (req, res, index) => {
        res.on('close', () => {
          if (!res.writableFinished) hungUp += 1;
        });
        return responder(req, res, index);
      },
      hungUp: () => hungUp,
    };
  };
  /** Writes `text` to the raw socket one byte a second, until done or the peer goes away. */
  const trickle = (res: ServerResponse, text: string): void => {
    let i = 0;
    const timer = setInterval(() => {
      const socket = res.socket;
      if (!socket || socket.destroyed || i >= text.length) {
        clearInterval(timer);
        timers.delete(timer);
        return;
      }
      socket.write(text[i++]);
    }, 1000);
    timers.add(timer);
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `f5${Date.now().toString(36)}`,
      DELIVERY_TIMEOUT_MS: String(TIMEOUT_MS),
    };
    const api = await startAppProcess('api', env);
    processes.push(api);
    worker = await startAppProcess('worker', env);
    processes.push(worker);
    graphqlUrl = `${api.url}/graphql`;
  }, 120_000);
  beforeEach(() => {
    token = adminToken({ tenantId: newTenantId() }); // a tenant per test: each publish reaches only its own receivers
  });
  afterAll(async () => {
    for (const timer of timers) clearInterval(timer);
    await receivers.closeAll();
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    redis?.stop();
  });

  it('a receiver that never answers, one that trickles its status line and one that trickles its body: every attempt times out at the deadline, then DEAD_LETTER', async () => {
    // Each would take far longer than the test to answer (never; about 80 s and 200 s at a byte a second).
    const hostile = [
      counted(() => undefined),
      counted((_req, res) =>
        trickle(res, 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'),
      ),
      counted((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.flushHeaders();
        trickle(res, `{"pad":"${'x'.repeat(190)}"}`);
      }),
    ];
    const [silent, trickleHead, trickleBody] = await Promise.all(hostile.map((h) => receiver(h.responder)));
    const eps = [await endpoint(silent.url), await endpoint(trickleHead.url), await endpoint(trickleBody.url)];
    const eventId = await publish();

    const settled = await Promise.all(
      eps.map((e) => expectSettled(graphqlUrl, token, e.id, { [eventId]: 'DEAD_LETTER' }, 40_000)),
    );
    // Hookline ended every attempt itself, at its deadline (the error below): it hung up on each request while the
    // receiver was still holding or trickling it.
    await waitUntil(async () => hostile.every((h) => h.hungUp() === ATTEMPTS), 10_000);

    for (const [d] of settled) {
      expect(d.attemptCount).toBe(ATTEMPTS);
      expect(d.lastResponseStatus).toBeNull();
      expect(d.lastError).toBe(`timeout after ${TIMEOUT_MS} ms; no retries left after ${ATTEMPTS} attempts`);
      const attempts = await attemptsOf(d.id);
      expect(attempts).toHaveLength(ATTEMPTS);
      for (const a of attempts) {
        const suffix = a.attemptNumber === ATTEMPTS ? `; no retries left after ${ATTEMPTS} attempts` : '';
        expect(a).toMatchObject({ responseStatus: null, error: `timeout after ${TIMEOUT_MS} ms${suffix}` });
      }
    }
    for (const r of [silent, trickleHead, trickleBody]) expect(r.requests).toHaveLength(ATTEMPTS);
    for (const [r, e] of [
      [silent, eps[0]],
      [trickleHead, eps[1]],
      [trickleBody, eps[2]],
    ] as const)
      expectReceived(r.requests, e.secret, []);
  }, 60_000);

  it('a 50 MB response body: read up to the cap, SUCCEEDED within the deadline, RSS grows by far less than 100 MB', async () => {
    let written = 0;
    const huge = await receiver((_req, res) => {
      res.on('error', () => undefined);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(50 * MB) });
      const chunk = Buffer.alloc(64 * 1024, 'z');
      const pump = (): void => {
        while (written < 50 * MB && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    const e = await endpoint(huge.url);
    const pid = worker.child.pid as number;
    const rssBefore = rssOf(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssOf(pid));
    }, 20);
    timers.add(sampler);
    try {
      const eventId = await publish();
      const [d] = await expectSettled(graphqlUrl, token, e.id, { [eventId]: 'SUCCEEDED' }, 20_000);
      expect(d).toMatchObject({ attemptCount: 1, lastResponseStatus: 200, lastError: null });
      const [attempt] = await attemptsOf(d.id);
      // Read to the cap and answered: a response that outlived the deadline would be a timeout, not a 200.
      expect(attempt).toMatchObject({ responseStatus: 200, error: null });
      expect(attempt.responseBody?.length).toBeLessThanOrEqual(64 * 1024);
      expect(attempt.responseBody?.length).toBeGreaterThan(0);
      expectReceived(huge.requests, e.secret, [eventId]);
    } finally {
      clearInterval(sampler);
      timers.delete(sampler);
    }
    const rssAfter = rssOf(pid);
    expect((rssPeak - rssBefore) / MB).toBeLessThan(100);
    expect((rssAfter - rssBefore) / MB).toBeLessThan(100);
    // The client stopped reading at the cap: the receiver never got to push all 50 MB.
    expect(written).toBeLessThan(50 * MB);
  }, 30_000);

  it('a redirect to 169.254.169.254 (and one to another receiver) is not followed: FAILED at once with the reason', async () => {
    const target = await receiver();
    const toMetadata = await receiver((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' }).end();
    });
    const toTarget = await receiver((_req, res) => {
      res.writeHead(307, { location: target.url }).end();
    });
    const eMeta = await endpoint(toMetadata.url);
    const eTarget = await endpoint(toTarget.url);
    const eventId = await publish();
    const [meta] = await expectSettled(graphqlUrl, token, eMeta.id, { [eventId]: 'FAILED' });
    const [other] = await expectSettled(graphqlUrl, token, eTarget.id, { [eventId]: 'FAILED' });
    // At once: one attempt, failed on the redirect itself (not a timeout, not a retry).
    expect(meta).toMatchObject({
      attemptCount: 1,
      lastResponseStatus: 302,
      lastError: 'HTTP 302 redirect to http://169.254.169.254/latest/meta-data/iam/security-credentials/ not followed',
    });
    expect(other).toMatchObject({ attemptCount: 1, lastResponseStatus: 307 });
    expect(other.lastError).toMatch(/^HTTP 307 redirect to .* not followed$/);
    expect(toMetadata.requests).toHaveLength(1);
    expect(toTarget.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
    expectReceived(toMetadata.requests, eMeta.secret, []);
  }, 30_000);
});
