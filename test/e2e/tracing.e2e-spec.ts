import { createHmac, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { faireOrder } from '../support/faire';
import { dataOf, gql } from '../support/graphql-client';
import { CollectedSpan, OtlpCollector } from '../support/otlp-collector';
import { AppProcess, startAppProcess } from '../support/processes';
import { ok, ReceivedRequest, ReceiverPool } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id } } }`;
const CREATE_INTEGRATION = `mutation($input: CreateIntegrationInput!) { createIntegration(input: $input) { id inboundPath } }`;
const PUBLISH_TWO = `mutation PublishTwo($inputs: [PublishEventInput!]!) { publishEvents(inputs: $inputs) { id } }`;
const INBOUND_EVENT = `query($id: ID!) { inboundEvent(id: $id) { status producedEventId } }`;
const ORDER = { order: { id: 'ord_1', status: 'paid', currency: 'USD', total: 10, line_items: [] } };
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
const KIND_SERVER = 2;
const KIND_CLIENT = 3;
const STATUS_ERROR = 2;
/** Three suites boot five ts-node processes: on a loaded machine one boot can take well over a minute. */
const BOOT_MS = 150_000;

jest.setTimeout(90_000);

function verify(secret: string, req: ReceivedRequest): unknown {
  return new Webhook(secret).verify(req.body, {
    'webhook-id': req.headers['webhook-id'],
    'webhook-timestamp': req.headers['webhook-timestamp'],
    'webhook-signature': req.headers['webhook-signature'],
  });
}

const named = (spans: CollectedSpan[], name: string): CollectedSpan[] => spans.filter((s) => s.name === name);
const one = (spans: CollectedSpan[], predicate: (s: CollectedSpan) => boolean): CollectedSpan => {
  const found = spans.filter(predicate);
  if (found.length !== 1) throw new Error(`expected one span, found ${found.length}`);
  return found[0];
};

/**
 * Tracing on: an api and a worker process export to a loopback OTLP/HTTP collector. A publish in the api and its
 * attempts in the worker are one trace (the traceparent travels through Postgres), and each receiver's request
 * carries the traceparent of its own attempt span.
 */
describe('tracing on (OTLP/HTTP to a loopback collector, api and worker processes)', () => {
  let collector: OtlpCollector;
  let api: AppProcess;
  let worker: AppProcess;
  const receivers = new ReceiverPool();
  const tenantId = newTenantId();
  const token = adminToken({ tenantId });
  const call = (query: string, variables: Record<string, unknown>) =>
    gql(`${api.url}/graphql`, query, variables, token);
  const createEndpoint = async (url: string, eventTypes = ['order.created']) => {
    const res = dataOf(await call(CREATE_ENDPOINT, { input: { url, eventTypes, channels: [`c-${tenantId}`] } }));
    return { id: res.createEndpoint.endpoint.id as string, secret: res.createEndpoint.secret as string };
  };

  beforeAll(
    async () => {
      collector = await OtlpCollector.start();
      const env = {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'hookline-tracing-test',
      };
      // One after the other: two ts-node boots at once on a loaded machine can outlast startAppProcess's wait.
      api = await startAppProcess('api', env, BOOT_MS);
      worker = await startAppProcess('worker', env, BOOT_MS);
    },
    2 * BOOT_MS + 10_000,
  );
  afterAll(async () => {
    await receivers.closeAll();
    await Promise.all([api?.kill(), worker?.kill()]);
    await collector?.close();
  });

  it('GraphQL operation → publish → one span per event → every attempt, with the receiver joining the trace', async () => {
    const steady = await receivers.start();
    // The flaky receiver answers its first request 500, then 200: two attempts of that delivery, under one event span.
    const flaky = await receivers.start((_req, res, index) => {
      res.writeHead(index === 0 ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
    });
    const steadyEndpoint = await createEndpoint(steady.url);
    const flakyEndpoint = await createEndpoint(flaky.url);
    const inputs = [1, 2].map(() => ({ eventType: 'order.created', payload: ORDER, channels: [`c-${tenantId}`] }));
    const published: { id: string }[] = dataOf(await call(PUBLISH_TWO, { inputs })).publishEvents;
    const eventIds = published.map((e) => e.id);

    const steadyRequests = await steady.waitFor(2);
    const flakyRequests = await flaky.waitFor(3);
    const spans = await collector.waitFor(
      (all) =>
        named(all, 'hookline.attempt').filter((s) => eventIds.includes(String(s.attributes['hookline.event_id'])))
          .length >= 5,
    );

    const operation = one(spans, (s) => s.name === 'mutation PublishTwo');
    expect(operation).toMatchObject({
      kind: KIND_SERVER,
      parentSpanId: null,
      attributes: { 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'PublishTwo' },
      resource: { 'service.name': 'hookline-tracing-test', 'hookline.role': 'api' },
    });
    const trace = operation.traceId;
    const publish = one(spans, (s) => s.name === 'hookline.publish' && s.parentSpanId === operation.spanId);
    expect(publish).toMatchObject({
      traceId: trace,
      attributes: { 'hookline.event_count': 2, 'hookline.tenant_id': tenantId },
    });
    const eventSpans = named(spans, 'hookline.publish.event').filter((s) => s.parentSpanId === publish.spanId);
    expect(eventSpans.map((s) => s.attributes['hookline.event_id']).sort()).toEqual([...eventIds].sort());
    for (const e of eventSpans) expect(e).toMatchObject({ traceId: trace, attributes: { 'hookline.fanout_count': 2 } });

    const attempts = named(spans, 'hookline.attempt').filter((s) => s.traceId === trace);
    // Two events × two endpoints, and the retry of the one refused.
    expect(attempts).toHaveLength(5);
    for (const attempt of attempts) {
      const parent = eventSpans.find((e) => e.spanId === attempt.parentSpanId);
      expect(parent?.attributes['hookline.event_id']).toBe(attempt.attributes['hookline.event_id']);
      expect(attempt).toMatchObject({ kind: KIND_CLIENT, resource: { 'hookline.role': 'worker' } });
      expect(attempt.attributes).toMatchObject({
        'hookline.endpoint_id': expect.any(String),
        'hookline.delivery_id': expect.any(String),
        'hookline.attempt_number': expect.any(Number),
        'hookline.duration_ms': expect.any(Number),
        'http.response.status_code': expect.any(Number),
      });
    }
    const failed = attempts.filter((s) => s.attributes['http.response.status_code'] === 500);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      statusCode: STATUS_ERROR,
      attributes: {
        'hookline.endpoint_id': flakyEndpoint.id,
        'hookline.attempt_number': 1,
        'hookline.outcome': 'RETRYING',
      },
    });
    const retried = one(
      attempts,
      (s) => s.attributes['hookline.delivery_id'] === failed[0].attributes['hookline.delivery_id'] && s !== failed[0],
    );
    expect(retried).toMatchObject({
      statusCode: 0,
      parentSpanId: failed[0].parentSpanId,
      attributes: { 'hookline.attempt_number': 2, 'http.response.status_code': 200 },
    });

    // Every request carries the traceparent of its own attempt span, and still verifies (headers are not signed).
    const requests = [
      ...steadyRequests.map((r) => ({ r, endpoint: steadyEndpoint })),
      ...flakyRequests.map((r) => ({ r, endpoint: flakyEndpoint })),
    ];
    const seen = new Set<string>();
    for (const { r, endpoint } of requests) {
      const [, traceId, spanId] = TRACEPARENT.exec(r.headers.traceparent ?? '') ?? [];
      expect(traceId).toBe(trace);
      const attempt = one(attempts, (s) => s.spanId === spanId);
      expect(attempt.attributes['hookline.endpoint_id']).toBe(endpoint.id);
      expect(attempt.attributes['hookline.event_id']).toBe(JSON.parse(r.body).id);
      seen.add(spanId);
      expect(verify(endpoint.secret, r)).toMatchObject({ type: 'order.created' });
    }
    expect(seen.size).toBe(5);
  });

  it('marks a failed GraphQL operation with its error code', async () => {
    const res = await call(PUBLISH_TWO, { inputs: [{ eventType: 'no.such.type', payload: ORDER }] });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const spans = await collector.waitFor((all) =>
      all.some((s) => s.name === 'mutation PublishTwo' && s.statusCode === STATUS_ERROR),
    );
    const operation = one(spans, (s) => s.name === 'mutation PublishTwo' && s.statusCode === STATUS_ERROR);
    expect(operation.attributes['error.type']).toBe('BAD_USER_INPUT');
    expect(operation.events).toEqual([{ name: 'graphql.error', attributes: { 'error.type': 'BAD_USER_INPUT' } }]);
    // The publish span ended in error too, under the operation, and no event span was made for the refused batch.
    const publish = one(spans, (s) => s.name === 'hookline.publish' && s.parentSpanId === operation.spanId);
    expect(publish.statusCode).toBe(STATUS_ERROR);
    expect(spans.filter((s) => s.parentSpanId === publish.spanId)).toEqual([]);
  });

  it('an inbound callback: receive span in the api, process span in the worker, parent of its publish and attempts', async () => {
    const receiver = await receivers.start(ok());
    const brandId = `b_${randomUUID().slice(0, 8)}`;
    const secret = `faire-${randomUUID()}`;
    const endpoint = dataOf(
      await call(CREATE_ENDPOINT, {
        input: { url: receiver.url, eventTypes: ['order.created'], channels: [`shop:${brandId}`] },
      }),
    ).createEndpoint.endpoint.id as string;
    const integration = dataOf(
      await call(CREATE_INTEGRATION, { input: { provider: 'faire', name: 'Traced', webhookSecret: secret } }),
    ).createIntegration as { id: string; inboundPath: string };
    const raw = Buffer.from(JSON.stringify(faireOrder(`bo_${randomUUID().slice(0, 8)}`, brandId)));
    const res = await fetch(`${api.url}${integration.inboundPath}`, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        'x-faire-webhook-topic': 'ORDER_CREATED',
        'x-faire-hmac-sha256': createHmac('sha256', secret).update(raw).digest('base64'),
      },
    });
    expect(res.status).toBe(202);
    const { id: inboundId } = (await res.json()) as { id: string };
    const [request] = await receiver.waitFor(1);

    const spans = await collector.waitFor((all) =>
      all.some((s) => s.name === 'hookline.attempt' && s.attributes['hookline.endpoint_id'] === endpoint),
    );
    const receive = one(
      spans,
      (s) => s.name === 'hookline.inbound.receive' && s.attributes['hookline.integration_id'] === integration.id,
    );
    expect(receive).toMatchObject({
      kind: KIND_SERVER,
      resource: { 'hookline.role': 'api' },
      attributes: { 'hookline.provider': 'faire', 'http.response.status_code': 202, 'http.request.method': 'POST' },
    });
    const processSpan = one(
      spans,
      (s) => s.name === 'hookline.inbound.process' && s.attributes['hookline.inbound_event_id'] === inboundId,
    );
    expect(processSpan.resource['hookline.role']).toBe('worker');
    const produced = dataOf(await call(INBOUND_EVENT, { id: inboundId })).inboundEvent;
    expect(produced.status).toBe('PROCESSED');
    const publish = one(spans, (s) => s.name === 'hookline.publish' && s.parentSpanId === processSpan.spanId);
    const eventSpan = one(spans, (s) => s.name === 'hookline.publish.event' && s.parentSpanId === publish.spanId);
    expect(eventSpan.attributes['hookline.event_id']).toBe(produced.producedEventId);
    const attempt = one(
      spans,
      (s) => s.name === 'hookline.attempt' && s.attributes['hookline.endpoint_id'] === endpoint,
    );
    expect(attempt).toMatchObject({ traceId: processSpan.traceId, parentSpanId: eventSpan.spanId });
    expect(request.headers.traceparent).toBe(`00-${attempt.traceId}-${attempt.spanId}-01`);
  });
});

/**
 * Tracing off (OTEL_EXPORTER_OTLP_ENDPOINT unset; the signal-specific URL alone does not switch it on): the same
 * delivery carries no traceparent and the collector hears nothing. The positive control is the suite above.
 */
describe('tracing off', () => {
  let collector: OtlpCollector;
  let app: AppProcess;
  const receivers = new ReceiverPool();
  const tenantId = newTenantId();
  const token = adminToken({ tenantId });

  beforeAll(async () => {
    collector = await OtlpCollector.start();
    app = await startAppProcess(
      'all',
      {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces`,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      BOOT_MS,
    );
  }, BOOT_MS + 10_000);
  afterAll(async () => {
    await receivers.closeAll();
    await app?.kill();
    await collector?.close();
  });

  it('sends no traceparent and exports nothing', async () => {
    const receiver = await receivers.start(ok());
    const created = dataOf(
      await gql(
        `${app.url}/graphql`,
        CREATE_ENDPOINT,
        { input: { url: receiver.url, eventTypes: ['order.created'] } },
        token,
      ),
    ).createEndpoint;
    dataOf(
      await gql(`${app.url}/graphql`, PUBLISH_TWO, { inputs: [{ eventType: 'order.created', payload: ORDER }] }, token),
    );
    const [request] = await receiver.waitFor(1);
    expect(verify(created.secret, request)).toMatchObject({ type: 'order.created' });
    expect(request.headers).not.toHaveProperty('traceparent');
    expect(request.headers).not.toHaveProperty('tracestate');
    // The shutdown flushes whatever a running SDK batched: after it, an SDK that had started would have exported.
    expect(await app.kill()).toBe(0);
    expect(app.output()).not.toContain('tracing on');
    expect(collector.requests).toBe(0);
    expect(collector.spans).toEqual([]);
  });
});

/**
 * The shutdown flushes: with a batch delay far beyond the test, nothing is exported while the process runs, and
 * a SIGTERM sends every span of the publish and its attempt before the process exits.
 */
describe('tracing flushed on shutdown', () => {
  let collector: OtlpCollector;
  let app: AppProcess;
  const receivers = new ReceiverPool();
  const token = adminToken({ tenantId: newTenantId() });

  beforeAll(async () => {
    collector = await OtlpCollector.start();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '600000' };
    app = await startAppProcess('all', env, BOOT_MS);
  }, BOOT_MS + 10_000);
  afterAll(async () => {
    await receivers.closeAll();
    await app?.kill();
    await collector?.close();
  });

  it('exports the spans still batched when the process stops', async () => {
    const receiver = await receivers.start(ok());
    dataOf(
      await gql(
        `${app.url}/graphql`,
        CREATE_ENDPOINT,
        { input: { url: receiver.url, eventTypes: ['order.created'] } },
        token,
      ),
    );
    const [published] = dataOf(
      await gql(`${app.url}/graphql`, PUBLISH_TWO, { inputs: [{ eventType: 'order.created', payload: ORDER }] }, token),
    ).publishEvents as { id: string }[];
    const [request] = await receiver.waitFor(1);
    const [, traceId, spanId] = TRACEPARENT.exec(request.headers.traceparent ?? '') ?? [];
    expect(traceId).toEqual(expect.any(String));
    // Batched for ten minutes: nothing has gone yet.
    expect(collector.requests).toBe(0);

    expect(await app.kill()).toBe(0);
    const attempt = one(collector.spans, (s) => s.name === 'hookline.attempt');
    expect(attempt).toMatchObject({ traceId, spanId, attributes: { 'hookline.event_id': published.id } });
    const event = one(collector.spans, (s) => s.spanId === attempt.parentSpanId);
    expect(event).toMatchObject({ name: 'hookline.publish.event', attributes: { 'hookline.event_id': published.id } });
    const publish = one(collector.spans, (s) => s.spanId === event.parentSpanId);
    expect(publish.name).toBe('hookline.publish');
    expect(one(collector.spans, (s) => s.spanId === publish.parentSpanId).name).toBe('mutation PublishTwo');
  });
});
