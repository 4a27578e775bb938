/**
 * Issue 17, items 4, 9, 10 and 12: data is kept exactly (member names such as "constructor" reach the receiver),
 * a provider's valid event is never lost (an inbound body with NUL is stored and then FAILED with a reason), and
 * the metrics' label sets stay bounded whatever paths and operation names anonymous clients send.
 * The refusals themselves are rows of the hostile-input sweep (hostile-input.e2e-spec.ts).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, gql } from '../support/graphql-client';
import { ReceivedRequest, Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id metadata } } }`;
const GET = `query($id: ID!) { endpoint(id: $id) { id metadata } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateEndpointInput!) { updateEndpoint(id: $id, input: $input) { id metadata } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
const EVENT = `query($id: ID!) { event(id: $id) { id payload } }`;

/** Member names that Object.prototype (or a function) also has: all legitimate JSON. */
const PROTOTYPE_KEYS = [
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
];

function who(): { tenantId: string; token: string } {
  const tenantId = newTenantId();
  return { tenantId, token: adminToken({ tenantId }) };
}

function verified(secret: string, req: ReceivedRequest): unknown {
  return new Webhook(secret).verify(req.body, {
    'webhook-id': req.headers['webhook-id'],
    'webhook-timestamp': req.headers['webhook-timestamp'],
    'webhook-signature': req.headers['webhook-signature'],
  });
}

jest.setTimeout(60_000);

describe('hardening: inputs are kept exactly, provider events are never lost, metrics stay bounded', () => {
  let t: TestApp;
  let ds: DataSource;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await t?.close();
  });

  describe('prototype-ish member names are data (issue 17 item 10)', () => {
    /** Built as text and parsed, as a client's JSON is: "__proto__" is then an own member, not a prototype. */
    const payloadText =
      `{"meta":{${PROTOTYPE_KEYS.map((k, i) => `"${k}":"v${i}"`).join(',')},"__proto__":{"polluted":true},"ok":1},` +
      `"items":[{"constructor":{"prototype":[1,{"toString":"x"}]}}],"constructor":"top","prototype":null,` +
      '"order":{"id":"o_1","status":"paid","currency":"USD","total":1,"line_items":[],"constructor":"o"}}';
    const expected = JSON.parse(payloadText) as Record<string, unknown>;

    async function endpointWithReceiver(token: string): Promise<{ receiver: Receiver; secret: string }> {
      const receiver = await Receiver.start();
      receivers.push(receiver);
      const { secret } = dataOf(
        await gql(t.graphqlUrl, CREATE, { input: { url: receiver.url } }, token),
      ).createEndpoint;
      return { receiver, secret };
    }

    function expectExactKeys(delivered: unknown): void {
      expect(delivered).toEqual(expected);
      const meta = (delivered as { meta: Record<string, unknown> }).meta;
      // jsonb keeps members, not their order.
      expect(Object.keys(meta).sort()).toEqual([...PROTOTYPE_KEYS, '__proto__', 'ok'].sort());
      expect(Object.getOwnPropertyDescriptor(meta, '__proto__')?.value).toEqual({ polluted: true });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }

    it('publishEvent (variables): the receiver gets every member, signed (standardwebhooks), and the stored event has them', async () => {
      const a = who();
      const { receiver, secret } = await endpointWithReceiver(a.token);
      const body = `{"query":${JSON.stringify(PUBLISH)},"variables":{"input":{"eventType":"order.created","payload":${payloadText}}}}`;
      const res = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
        body,
      });
      const { data, errors } = (await res.json()) as { data: { publishEvent: { id: string } }; errors?: unknown };
      expect(errors).toBeUndefined();
      const [req] = await receiver.waitFor(1);
      const envelope = verified(secret, req) as { data?: unknown };
      const delivered = envelope.data ?? envelope;
      expectExactKeys(delivered);
      expect(req.body).toContain('"__proto__":{"polluted":true}');
      const stored = dataOf(await gql(t.graphqlUrl, EVENT, { id: data.publishEvent.id }, a.token)).event
        .payload as unknown;
      expectExactKeys(stored);
    });

    it('publishEvents (a list argument) keeps them too', async () => {
      const a = who();
      const { receiver, secret } = await endpointWithReceiver(a.token);
      const body = `{"query":${JSON.stringify(PUBLISH_MANY)},"variables":{"inputs":[{"eventType":"order.created","payload":${payloadText}}]}}`;
      const res = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
        body,
      });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
      const [req] = await receiver.waitFor(1);
      const envelope = verified(secret, req) as { data?: unknown };
      expectExactKeys(envelope.data ?? envelope);
    });

    it('an inline JSON literal with constructor, toString and __proto__ members keeps them as data', async () => {
      const a = who();
      const { receiver, secret } = await endpointWithReceiver(a.token);
      const literal =
        '{ order: { id: "o_1", status: "paid", currency: "USD", total: 1, line_items: [] }, meta: { constructor: "x", prototype: "y", toString: "z", hasOwnProperty: 1, __proto__: { polluted: true }, ok: 1 } }';
      dataOf(
        await gql(
          t.graphqlUrl,
          `mutation { publishEvent(input: { eventType: "order.created", payload: ${literal} }) { id } }`,
          {},
          a.token,
        ),
      );
      const [req] = await receiver.waitFor(1);
      const envelope = verified(secret, req) as { data?: unknown };
      const meta = ((envelope.data ?? envelope) as { meta: Record<string, unknown> }).meta;
      expect(Object.keys(meta).sort()).toEqual(
        ['constructor', 'prototype', 'toString', 'hasOwnProperty', '__proto__', 'ok'].sort(),
      );
      expect(meta).toEqual(
        JSON.parse(
          '{"constructor":"x","prototype":"y","toString":"z","hasOwnProperty":1,"__proto__":{"polluted":true},"ok":1}',
        ),
      );
    });

    it('endpoint metadata keeps them at create and at update', async () => {
      const a = who();
      const metadataText = `{${PROTOTYPE_KEYS.map((k) => `"${k}":"${k}-value"`).join(',')},"__proto__":"p","nested":{"constructor":{"name":"n"}}}`;
      const body = `{"query":${JSON.stringify(CREATE)},"variables":{"input":{"url":"https://93.184.215.14/hook","metadata":${metadataText}}}}`;
      const res = await fetch(t.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
        body,
      });
      const created = (
        (await res.json()) as { data: { createEndpoint: { endpoint: { id: string; metadata: unknown } } } }
      ).data.createEndpoint.endpoint;
      expect(created.metadata).toEqual(JSON.parse(metadataText));
      expect(dataOf(await gql(t.graphqlUrl, GET, { id: created.id }, a.token)).endpoint.metadata).toEqual(
        JSON.parse(metadataText),
      );

      const updated = dataOf(
        await gql(t.graphqlUrl, UPDATE, { id: created.id, input: { metadata: { constructor: 'x' } } }, a.token),
      ).updateEndpoint;
      expect(updated.metadata).toEqual({ constructor: 'x' });
      const [row] = (await ds.query('SELECT metadata FROM endpoints WHERE id = $1', [created.id])) as {
        metadata: unknown;
      }[];
      expect(row.metadata).toEqual({ constructor: 'x' });
    });
  });

  describe('metrics labels stay bounded whatever anonymous clients send (issue 17 item 4)', () => {
    const seriesOf = (text: string, metric: string): string[] =>
      text.split('\n').filter((line) => line.startsWith(`${metric}{`));
    const scrape = async (): Promise<string> => (await fetch(`${t.url}/metrics`)).text();
    const rand = (): string => randomUUID().replace(/-/g, '').slice(0, 12);

    it('2,000 random paths and operation names add a bounded number of series; known routes and root fields keep their own label', async () => {
      const a = who();
      // Positive controls first: a known route, the inbound template, a known root field under a client-chosen name.
      expect((await fetch(`${t.url}/health`)).status).toBeLessThan(600);
      await fetch(`${t.url}/inbound/faire/${randomUUID()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      dataOf(await gql(t.graphqlUrl, 'query ClientChosenName { endpoints(first: 1) { totalCount } }', {}, a.token));
      const before = await scrape();

      const jobs = Array.from({ length: 2000 }, (_, i) => async (): Promise<void> => {
        const name = `Op_${rand()}`;
        if (i % 4 === 0) await (await fetch(`${t.url}/${rand()}/${rand()}?q=${rand()}`)).text();
        else if (i % 4 === 1)
          await (
            await fetch(`${t.url}/inbound/${rand()}/${rand()}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{}',
            })
          ).text();
        else if (i % 4 === 2)
          await gql(
            t.graphqlUrl,
            `query ${name} { endpoints(first: 1) { totalCount } }`,
            {},
            i % 8 === 2 ? a.token : undefined,
          );
        else await gql(t.graphqlUrl, `query ${name} { field_${rand()} }`, {});
      });
      for (let i = 0; i < jobs.length; i += 25) await Promise.all(jobs.slice(i, i + 25).map((job) => job()));

      const after = await scrape();
      const http = seriesOf(after, 'hookline_http_requests_total');
      const gqlSeries = seriesOf(after, 'hookline_graphql_operations_total');
      expect(http.length).toBeLessThanOrEqual(seriesOf(before, 'hookline_http_requests_total').length + 6);
      expect(gqlSeries.length).toBeLessThanOrEqual(seriesOf(before, 'hookline_graphql_operations_total').length + 6);
      expect(http.length).toBeLessThan(40);
      expect(after).not.toMatch(/Op_[0-9a-f]{12}|field_[0-9a-f]{12}/);
      expect(http.join('\n')).not.toMatch(/route="\/[0-9a-f]{12}/);
      expect(Buffer.byteLength(after)).toBeLessThan(200_000);

      expect(after).toMatch(/hookline_http_requests_total\{method="GET",route="\/health",status="\d+"\}/);
      expect(after).toMatch(
        /hookline_http_requests_total\{method="POST",route="\/inbound\/:provider\/:integrationId",status="404"\}/,
      );
      expect(after).toMatch(/hookline_http_requests_total\{method="GET",route="unmatched",status="404"\}/);
      expect(after).toMatch(/hookline_http_requests_total\{method="POST",route="\/graphql",status="\d+"\}/);
      expect(after).toMatch(/hookline_graphql_operations_total\{operation="endpoints",type="query",outcome="ok"\}/);
      expect(after).toMatch(/hookline_graphql_operations_total\{operation="other",[^}]*\}/);
    });
  });

  describe('a signed inbound body that jsonb cannot hold is stored, answered 202 and FAILED with the reason (issue 17 item 9)', () => {
    const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id inboundPath } }`;
    const INBOUND = `query($id: ID!) { inboundEvent(id: $id) { id status lastError eventCode jsonData } }`;
    const a = who();
    const faireSecret = `faire-${randomUUID()}`;
    const genericSecret = `whsec_${Buffer.from(randomUUID()).toString('base64')}`;
    let faire: { id: string; inboundPath: string };
    let generic: { id: string; inboundPath: string };

    beforeAll(async () => {
      faire = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_INTEGRATION,
          { input: { provider: 'faire', name: 'nul', webhookSecret: faireSecret } },
          a.token,
        ),
      ).createIntegration;
      generic = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_INTEGRATION,
          { input: { provider: 'generic', name: 'nul', webhookSecret: genericSecret } },
          a.token,
        ),
      ).createIntegration;
    });

    const postFaire = (raw: Buffer): Promise<Response> =>
      fetch(`${t.url}${faire.inboundPath}`, {
        method: 'POST',
        body: raw,
        headers: {
          'content-type': 'application/json',
          'x-faire-webhook-topic': 'ORDER_CREATED',
          'x-faire-hmac-sha256': createHmac('sha256', faireSecret).update(raw).digest('base64'),
        },
      });
    const postGeneric = (raw: Buffer): Promise<Response> => {
      const id = `msg_${randomUUID()}`;
      const at = new Date();
      const signature = new Webhook(genericSecret).sign(id, at, raw.toString('utf8'));
      return fetch(`${t.url}${generic.inboundPath}`, {
        method: 'POST',
        body: raw,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': signature,
        },
      });
    };
    const faireBody = (extra: string): Buffer =>
      Buffer.from(
        `{"id":"bo_${randomUUID()}","brand_id":"b_1","state":"NEW","items":[{"sku":"SKU-1","quantity":1,"price_cents":100}]${extra}}`,
      );

    const hostile: [string, (post: 'faire' | 'generic') => Buffer, RegExp][] = [
      [
        'a NUL in a string deep in an array',
        (p) =>
          p === 'faire'
            ? faireBody(',"notes":[["ok","a\\u0000b"]]')
            : Buffer.from('{"type":"order.created","data":{"order":{"id":"o","status":"paid","notes":["a\\u0000b"]}}}'),
        /NUL character.*\$\.(notes\[0\]\[1\]|data\.order\.notes\[0\])/,
      ],
      [
        'a NUL in a member name',
        (p) =>
          p === 'faire'
            ? faireBody(',"meta":{"k\\u0000":1}')
            : Buffer.from('{"type":"order.created","data":{"order":{"id":"o","status":"paid"},"k\\u0000":1}}'),
        /member name contains a NUL/,
      ],
      [
        'a lone surrogate',
        (p) =>
          p === 'faire'
            ? faireBody(',"notes":"x\\ud800y"')
            : Buffer.from('{"type":"order.created","data":{"order":{"id":"o","status":"\\ud800"}}}'),
        /lone UTF-16 surrogate \(U\+D800\)/,
      ],
    ];
    const rows = hostile.flatMap(([label, body, reason]) =>
      (['faire', 'generic'] as const).map((p) => [`${p}: ${label}`, p, body, reason] as const),
    );

    it.each(rows)('%s', async (_label, provider, body, reason) => {
      const raw = body(provider);
      const res = provider === 'faire' ? await postFaire(raw) : await postGeneric(raw);
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const [row] = (await ds.query('SELECT json_text FROM inbound_events WHERE id = $1', [id])) as {
        json_text: string;
      }[];
      // The exact body: parsing the kept text gives the very value the provider sent.
      expect(JSON.parse(row.json_text)).toEqual(JSON.parse(raw.toString('utf8')));
      const failed = await waitUntil(async () => {
        const e = dataOf(await gql(t.graphqlUrl, INBOUND, { id }, a.token)).inboundEvent as {
          status: string;
          lastError: string | null;
        };
        return e.status === 'FAILED' ? e : null;
      });
      expect(failed.lastError).toMatch(reason);
      expect(failed.lastError).toMatch(/exact body is kept/);
    });

    it.each([
      ['faire', () => faireBody(',"notes":"plain text 😀"')],
      [
        'generic',
        () => Buffer.from('{"type":"order.created","data":{"order":{"id":"o","status":"paid","notes":"plain 😀"}}}'),
      ],
    ] as const)(
      'positive control (%s): the same shapes without NUL are stored as jsonb only and not failed for it',
      async (provider, body) => {
        const raw = body();
        const res = provider === 'faire' ? await postFaire(raw) : await postGeneric(raw);
        expect(res.status).toBe(202);
        const { id } = (await res.json()) as { id: string };
        const [row] = (await ds.query('SELECT json_text, json_data FROM inbound_events WHERE id = $1', [id])) as {
          json_text: string | null;
          json_data: unknown;
        }[];
        expect(row.json_text).toBeNull();
        expect(row.json_data).toEqual(JSON.parse(raw.toString('utf8')));
        const done = await waitUntil(async () => {
          const e = dataOf(await gql(t.graphqlUrl, INBOUND, { id }, a.token)).inboundEvent as {
            status: string;
            lastError: string | null;
          };
          return e.status !== 'PENDING' && e.status !== 'PROCESSING' ? e : null;
        });
        expect(String(done.lastError)).not.toMatch(/NUL|surrogate/);
      },
    );
  });
});
