/**
 * Fault scenarios 1 and 2 (issue 7): a worker process SIGKILLed in the middle of attempts (the receivers hold the
 * requests open), then the same again, twice in a row on the same deliveries. Bull gives up on a job that stalls
 * twice; the reconciler must not: it finds the expired leases in Postgres and queues them again.
 *
 * Each scenario has a private redis-server and the app as separate api and worker processes, killed by pid.
 * Both end with the check: every published event reached every matching endpoint at least once, every
 * copy verifies and duplicates carry the same webhook-id, and every delivery is SUCCEEDED with none unfinished.
 */
import { expectReceived, expectSettled, startPrivateRedis } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { Receiver, ReceivedRequest, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
const ORDER = (id: string) => ({
  order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
});
/** Long enough that no held attempt times out on its own before the kill; the lease is this plus the 2 s grace. */
const DELIVERY_TIMEOUT_MS = '8000';

interface Target {
  receiver: Receiver;
  endpointId: string;
  secret: string;
}

/** Receivers that hold every request open while `holding.on` is true, and answer 200 afterwards. */
async function holdingReceiver(holding: { on: boolean }): Promise<Receiver> {
  return Receiver.start((_req, res) => {
    if (!holding.on) res.writeHead(200).end('ok');
  });
}

function webhookIds(requests: ReceivedRequest[]): string[] {
  return requests.map((r) => r.headers['webhook-id']);
}

describe('faults 1 and 2: worker SIGKILLed mid-attempt', () => {
  const processes: AppProcess[] = [];
  const receivers: Receiver[] = [];
  let redis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    redis?.stop();
    redis = undefined;
  });

  async function setUp(tag: string, holding: { on: boolean }, endpoints: number) {
    redis = await startPrivateRedis();
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `${tag}${Date.now().toString(36)}`, DELIVERY_TIMEOUT_MS };
    const api = await startAppProcess('api', env);
    processes.push(api);
    const graphqlUrl = `${api.url}/graphql`;
    const token = adminToken({ tenantId: newTenantId() });
    const targets: Target[] = [];
    for (let i = 0; i < endpoints; i++) {
      const receiver = await holdingReceiver(holding);
      receivers.push(receiver);
      const created = dataOf(await gql(graphqlUrl, CREATE, { input: { url: receiver.url } }, token)).createEndpoint;
      targets.push({ receiver, endpointId: created.endpoint.id, secret: created.secret });
    }
    const startWorker = async (): Promise<AppProcess> => {
      const worker = await startAppProcess('worker', env);
      processes.push(worker);
      return worker;
    };
    const publish = async (count: number): Promise<string[]> => {
      const inputs = Array.from({ length: count }, (_, i) => ({
        eventType: 'order.created',
        payload: ORDER(`${tag}-${i}`),
      }));
      return dataOf(await gql(graphqlUrl, PUBLISH_MANY, { inputs }, token)).publishEvents.map(
        (e: { id: string }) => e.id,
      );
    };
    return { graphqlUrl, token, targets, startWorker, publish };
  }

  async function expectAllSucceeded(
    graphqlUrl: string,
    token: string,
    targets: Target[],
    eventIds: string[],
  ): Promise<void> {
    for (const t of targets) {
      const rows = await expectSettled(
        graphqlUrl,
        token,
        t.endpointId,
        Object.fromEntries(eventIds.map((id) => [id, 'SUCCEEDED'])),
        90_000,
      );
      expect(rows).toHaveLength(eventIds.length);
      expectReceived(t.receiver.requests, t.secret, eventIds);
    }
  }

  it('scenario 1: a worker killed while its attempts are held open loses nothing', async () => {
    const holding = { on: true };
    const { graphqlUrl, token, targets, startWorker, publish } = await setUp('f1', holding, 2);
    const worker = await startWorker();
    const eventIds = await publish(30);
    for (const t of targets) await t.receiver.waitFor(5, 30_000);
    const heldAtKill = targets.map((t) => new Set(webhookIds(t.receiver.requests)));
    expect(await worker.kill('SIGKILL')).toBeNull(); // killed, not exited

    holding.on = false;
    await startWorker();
    await expectAllSucceeded(graphqlUrl, token, targets, eventIds);
    // The attempts cut off by the kill were made again: each of those events reached its endpoint twice or more.
    targets.forEach((t, i) => {
      const counts = new Map<string, number>();
      for (const id of webhookIds(t.receiver.requests)) counts.set(id, (counts.get(id) ?? 0) + 1);
      for (const id of heldAtKill[i]) expect(counts.get(id)).toBeGreaterThanOrEqual(2);
    });
  }, 180_000);

  it('scenario 2: killed twice in a row on the same deliveries, the reconciler still finishes them', async () => {
    const holding = { on: true };
    const { graphqlUrl, token, targets, startWorker, publish } = await setUp('f2', holding, 1);
    const [target] = targets;
    let worker = await startWorker();
    const eventIds = await publish(20);
    await target.receiver.waitFor(5, 30_000);
    const firstHeld = new Set(webhookIds(target.receiver.requests));
    await worker.kill('SIGKILL');

    worker = await startWorker();
    // The second worker makes the same attempts again (from the expired leases), and is killed holding them.
    const again = await waitUntil(
      async () => {
        const repeated = webhookIds(target.receiver.requests.slice(firstHeld.size)).filter((id) => firstHeld.has(id));
        return repeated.length >= 3 ? repeated : null;
      },
      60_000,
      100,
    );
    await worker.kill('SIGKILL');

    holding.on = false;
    await startWorker();
    await expectAllSucceeded(graphqlUrl, token, targets, eventIds);
    // Those deliveries were attempted by all three workers: twice cut off, then delivered.
    const counts = new Map<string, number>();
    for (const id of webhookIds(target.receiver.requests)) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of again) expect(counts.get(id)).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
