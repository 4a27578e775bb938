/**
 * Fault scenario 8 (issue 7): SIGTERM to a worker process during a burst of 100 deliveries to a receiver that
 * answers after 300 ms. The worker finishes (or releases) its attempts and exits 0; a new worker then
 * delivers the rest; every delivery ends SUCCEEDED and nothing is left PENDING or IN_FLIGHT.
 */
import { expectReceived, expectSettled, allDeliveries, startPrivateRedis } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { Receiver } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const ORDER = (id: string) => ({ order: { id, status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] } });

describe('fault 8: SIGTERM to a worker during a burst', () => {
  const processes: AppProcess[] = [];
  let redis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;
  let receiver: Receiver | undefined;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await receiver?.close();
    redis?.stop();
  });

  it('the worker exits 0 with no attempt left in flight, and a new worker delivers everything', async () => {
    redis = await startPrivateRedis();
    receiver = await Receiver.start((_req, res) => {
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200).end('ok');
      }, 300);
    });
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: `f8${Date.now().toString(36)}`, DELIVERY_TIMEOUT_MS: '3000' };
    const api = await startAppProcess('api', env);
    processes.push(api);
    const worker = await startAppProcess('worker', env);
    processes.push(worker);
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => worker.child.once('exit', (code, signal) => resolve({ code, signal })));

    const graphqlUrl = `${api.url}/graphql`;
    const token = adminToken({ tenantId: newTenantId() });
    const created = dataOf(await gql(graphqlUrl, `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`, { input: { url: receiver.url } }, token)).createEndpoint;
    const inputs = Array.from({ length: 100 }, (_, i) => ({ eventType: 'order.created', payload: ORDER(`sigterm-${i}`) }));
    const eventIds: string[] = dataOf(await gql(graphqlUrl, `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`, { inputs }, token)).publishEvents.map((e: { id: string }) => e.id);

    await receiver.waitFor(10, 30_000);
    const signalled = Date.now();
    worker.child.kill('SIGTERM');
    const { code, signal } = await exit;
    const tookMs = Date.now() - signalled;
    expect(tookMs).toBeLessThan(3000 + 2000 + 5000); // one attempt's deadline, the shutdown grace, and boot-time slack
    expect(worker.output()).not.toMatch(/"level":"error"/);

    // Finished or released: nothing the stopped worker held is still IN_FLIGHT.
    const inFlight = await allDeliveries(graphqlUrl, token, { endpointId: created.endpoint.id, status: ['IN_FLIGHT'] });
    expect(inFlight.map((d) => d.id)).toEqual([]);
    const beforeRestart = receiver.requests.length;
    expect(beforeRestart).toBeLessThan(100); // the burst really was cut short

    processes.push(await startAppProcess('worker', env));
    await expectSettled(graphqlUrl, token, created.endpoint.id, Object.fromEntries(eventIds.map((id) => [id, 'SUCCEEDED'])), 60_000);
    expectReceived(receiver.requests, created.secret, eventIds);
    const none = await allDeliveries(graphqlUrl, token, { endpointId: created.endpoint.id, status: ['PENDING', 'IN_FLIGHT', 'RETRYING'] });
    expect(none).toEqual([]);

    // Checked last so that the delivery checks above report on their own: a clean stop is exit code 0, not a
    // death by the re-raised signal (which a supervisor reports as 143).
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  }, 150_000);
});
