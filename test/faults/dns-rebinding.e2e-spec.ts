/**
 * Fault scenario 6 (issue 7): a name that resolved to a public address when the endpoint was saved and
 * resolves to 127.0.0.1 at delivery time is refused at connect, against the address actually connected to.
 * DNS is the app's HTTP_RESOLVER hook, replaced by a stub for the whole app (validation and delivery).
 */
import { HTTP_RESOLVER } from '../../src/common/http/http.module';
import { createTestApp, TestApp } from '../support/app';
import { expectReceived, expectSettled } from '../support/fault-checks';
import { dataOf, errorCode, gql } from '../support/graphql-client';
import { Receiver } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id url } } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const ATTEMPTS_OF = `query($id: ID!) { delivery(id: $id) { attempts { attemptNumber responseStatus error } } }`;
const ORDER = {
  order: { id: 'ord_rebind', status: 'paid', currency: 'USD', total: 10, line_items: [{ sku: 'SKU-1', quantity: 1 }] },
};

describe('fault 6: DNS rebinding between validation and connect (ALLOW_PRIVATE_TARGETS=false)', () => {
  let t: TestApp;
  let receiver: Receiver;
  const answers = new Map<string, string>([['rebind.example', '93.184.216.34']]);
  const lookups: string[] = [];
  const stub = async (hostname: string): Promise<string[]> => {
    lookups.push(hostname);
    const address = answers.get(hostname);
    if (!address) throw Object.assign(new Error(`stub: no answer for ${hostname}`), { code: 'ENOTFOUND' });
    return [address];
  };

  beforeAll(async () => {
    receiver = await Receiver.start();
    t = await createTestApp(
      {
        ALLOW_PRIVATE_TARGETS: 'false',
        QUEUE_PREFIX: `${process.env.QUEUE_PREFIX ?? 'hlt'}f6${Date.now().toString(36)}`,
      },
      [{ token: HTTP_RESOLVER, value: stub }],
    );
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('validation uses the stub: a name that already resolves to loopback is refused at create', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    answers.set('loopback.example', '127.0.0.1');
    const port = new URL(receiver.url).port;
    const res = await gql(t.graphqlUrl, CREATE, { input: { url: `http://loopback.example:${port}/hook` } }, token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions?.field).toBe('url');
    expect(res.errors?.[0].message).toMatch(/resolves to 127\.0\.0\.1, which is loopback/);
    expect(lookups).toContain('loopback.example');
  });

  it('saved while public, re-pointed at 127.0.0.1: every attempt is refused at connect and the receiver gets nothing', async () => {
    const token = adminToken({ tenantId: newTenantId() });
    const port = new URL(receiver.url).port;
    const created = dataOf(
      await gql(t.graphqlUrl, CREATE, { input: { url: `http://rebind.example:${port}/hook` } }, token),
    ).createEndpoint;
    expect(lookups).toContain('rebind.example');

    answers.set('rebind.example', '127.0.0.1'); // the attacker's DNS now answers loopback
    const before = lookups.length;
    const eventId = dataOf(
      await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: ORDER } }, token),
    ).publishEvent.id;
    const [d] = await expectSettled(t.graphqlUrl, token, created.endpoint.id, { [eventId]: 'DEAD_LETTER' }, 30_000);
    expect(d.lastError).toMatch(/^blocked: rebind\.example resolves to 127\.0\.0\.1, a loopback address/);
    const attempts: { error: string; responseStatus: number | null }[] = dataOf(
      await gql(t.graphqlUrl, ATTEMPTS_OF, { id: d.id }, token),
    ).delivery.attempts;
    expect(attempts.length).toBe(d.attemptCount);
    for (const a of attempts) {
      expect(a.responseStatus).toBeNull();
      expect(a.error).toMatch(/^blocked: rebind\.example resolves to 127\.0\.0\.1, a loopback address/);
    }
    expect(lookups.slice(before).filter((h) => h === 'rebind.example').length).toBeGreaterThanOrEqual(attempts.length);
    expect(receiver.requests).toHaveLength(0);
    expectReceived(receiver.requests, created.secret, []);

    const verified = dataOf(
      await gql(
        t.graphqlUrl,
        'mutation($id: ID!) { verifyEndpoint(id: $id) { verified reason } }',
        { id: created.endpoint.id },
        token,
      ),
    ).verifyEndpoint;
    expect(verified.verified).toBe(false);
    expect(verified.reason).toMatch(/blocked/);
    expect(receiver.requests).toHaveLength(0);
  }, 40_000);
});
