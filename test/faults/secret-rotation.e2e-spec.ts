/**
 * Fault scenario 7 (issue 7): the endpoint's secret is rotated while a delivery is retrying. The next attempt
 * carries two signatures and verifies with standardwebhooks under the old and the new secret alike. The rotation
 * happens in the api process and the attempts in a separate worker process (a private Redis for the two), so the
 * worker cannot have heard of the rotation: it signs with the secrets it reads with its claim.
 */
import { Webhook } from 'standardwebhooks';
import { expectReceived, expectSettled, startPrivateRedis } from '../support/fault-checks';
import { dataOf, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { ReceivedRequest, Receiver } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const ORDER = {
  order: { id: 'ord_rotate', status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
};

function verifyWith(secret: string, req: ReceivedRequest): unknown {
  return new Webhook(secret).verify(req.body, {
    'webhook-id': req.headers['webhook-id'],
    'webhook-timestamp': req.headers['webhook-timestamp'],
    'webhook-signature': req.headers['webhook-signature'],
  });
}

describe('fault 7: secret rotated while a delivery is retrying', () => {
  let graphqlUrl = '';
  let receiver: Receiver;
  const processes: AppProcess[] = [];
  let redis: Awaited<ReturnType<typeof startPrivateRedis>> | undefined;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    // A 3 s retry delay leaves room to rotate between the first and the second attempt.
    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `f7${Date.now().toString(36)}`,
      DELIVERY_RETRY_SCHEDULE: '3s,3s,3s',
    };
    const api = await startAppProcess('api', env);
    processes.push(api, await startAppProcess('worker', env));
    graphqlUrl = `${api.url}/graphql`;
    receiver = await Receiver.start((_req, res, i) => {
      res.writeHead(i === 0 ? 500 : 200).end(i === 0 ? 'try again' : 'ok');
    });
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    redis?.stop();
  });

  it('the retry carries both signatures; each verifies under its own secret; the first attempt only under the old one', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const created = dataOf(
      await gql(
        graphqlUrl,
        `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`,
        { input: { url: receiver.url } },
        token,
      ),
    ).createEndpoint;
    const oldSecret: string = created.secret;
    const eventId: string = dataOf(
      await gql(
        graphqlUrl,
        `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`,
        { input: { eventType: 'order.created', payload: ORDER } },
        token,
      ),
    ).publishEvent.id;

    const [first] = await receiver.waitFor(1);
    const rotated = dataOf(
      await gql(
        graphqlUrl,
        'mutation($id: ID!) { rotateEndpointSecret(id: $id) { secret previousSecretExpiresAt } }',
        { id: created.endpoint.id },
        token,
      ),
    ).rotateEndpointSecret;
    const newSecret: string = rotated.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(receiver.requests).toHaveLength(1); // rotated while the delivery was waiting for its retry

    const [d] = await expectSettled(graphqlUrl, token, created.endpoint.id, { [eventId]: 'SUCCEEDED' }, 20_000);
    expect(d.attemptCount).toBe(2);
    const second = receiver.requests[1];

    expect(first.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verifyWith(oldSecret, first)).toMatchObject({ id: eventId });
    expect(() => verifyWith(newSecret, first)).toThrow();

    const signatures = second.headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    for (const s of signatures) expect(s).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWith(newSecret, second)).toMatchObject({ id: eventId });
    expect(verifyWith(oldSecret, second)).toMatchObject({ id: eventId });
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expectReceived(receiver.requests, oldSecret, [eventId]); // the old secret verifies every copy; the new one only the retry
  }, 40_000);
});
