import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, GqlResponse, gql } from '../support/graphql-client';
import { ReceivedRequest, Receiver } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const TYPE_FIELDS = 'name description schema samplePayload archived source deprecated groupName createdAt updatedAt';
const CREATE_TYPE = `mutation($input: CreateEventTypeInput!) { createEventType(input: $input) { ${TYPE_FIELDS} } }`;
const UPDATE_TYPE = `mutation($name: String!, $input: UpdateEventTypeInput!) { updateEventType(name: $name, input: $input) { ${TYPE_FIELDS} } }`;
const ARCHIVE = `mutation($name: String!) { archiveEventType(name: $name) { name archived } }`;
const UNARCHIVE = `mutation($name: String!) { unarchiveEventType(name: $name) { name archived } }`;
const IMPORT = `mutation($input: ImportEventTypesInput!) { importEventTypes(input: $input) { created updated unchanged } }`;
const LIST = `query($all: Boolean) { eventTypes(includeArchived: $all) { name source archived deprecated } }`;
const ONE = `query($name: String!) { eventType(name: $name) { ${TYPE_FIELDS} } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id eventType createdAt } }`;
const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { secret endpoint { id eventTypes } } }`;
const ENDPOINT = `query($id: ID!) { endpoint(id: $id) { id eventTypes } }`;
const SAVE_FILTER = `mutation($endpointId: ID!, $input: SaveFilterReducerInput!) { saveFilterReducer(endpointId: $endpointId, input: $input) { id } }`;
const TEST_DELIVERY = `mutation($id: ID!, $type: String) { sendTestDelivery(endpointId: $id, eventType: $type) { id } }`;
const AUDIT = `query($action: String) { auditLogs(first: 50, action: $action) { edges { node { action targetId metadata } } } }`;

const PARTNER_TYPES = [
  'NEW_CONSUMER_ORDER',
  'NEW_CONSUMER_SIGNUP',
  'UPDATE_CONSUMER_ORDER',
  'UPDATE_CONSUMER_USER',
  'NEW_MEMBER',
  'UPDATE_MEMBER',
  'CREATE_TRANSACTION',
  'UPDATE_TRANSACTION',
  'CANCEL_TRANSACTION',
  'COMPLETE_TRANSACTION',
  'UPDATE_PRODUCT',
];

const COMMENT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['comment'],
  properties: {
    comment: {
      type: 'object',
      required: ['id', 'body', 'postedAt'],
      properties: {
        id: { type: 'string', pattern: '^c_[0-9a-z]+$' },
        body: { type: 'string', minLength: 1 },
        postedAt: { type: 'string', format: 'date-time' },
        kind: { enum: ['text', 'image'] },
      },
    },
  },
};
const COMMENT = { comment: { id: 'c_1', body: 'Nice post', postedAt: '2026-12-01T10:00:00Z' } };

interface Tenant {
  id: string;
  token: string;
}

function tenant(): Tenant {
  const id = newTenantId();
  return { id, token: adminToken({ tenantId: id }) };
}

function verify(secret: string, req: ReceivedRequest): Record<string, unknown> {
  return new Webhook(secret).verify(req.body, req.headers) as Record<string, unknown>;
}

/** The one error of a refused operation, with its extensions. */
function refusal(res: GqlResponse<unknown>): { code?: string; [key: string]: unknown } {
  // A nullable root field answers { field: null } beside the error.
  expect(Object.values(res.data ?? {}).every((value) => value === null)).toBe(true);
  expect(res.errors).toHaveLength(1);
  return res.errors?.[0]?.extensions ?? {};
}

describe('tenant event types (real Postgres, Redis and receivers)', () => {
  let t: TestApp;
  let ds: DataSource;
  const receivers: Receiver[] = [];
  const receiver = async (): Promise<Receiver> => {
    const r = await Receiver.start();
    receivers.push(r);
    return r;
  };
  const call = (who: Tenant, query: string, variables: Record<string, unknown> = {}) =>
    gql(t.graphqlUrl, query, variables, who.token);
  const createType = async (who: Tenant, input: Record<string, unknown>): Promise<Record<string, unknown>> =>
    dataOf(await call(who, CREATE_TYPE, { input })).createEventType;
  const publish = (who: Tenant, eventType: string, payload: unknown, extra: Record<string, unknown> = {}) =>
    call(who, PUBLISH, { input: { eventType, payload, ...extra } });
  const published = async (
    who: Tenant,
    eventType: string,
    payload: unknown,
  ): Promise<{ id: string; createdAt: string }> => dataOf(await publish(who, eventType, payload)).publishEvent;
  const endpoint = async (who: Tenant, input: Record<string, unknown>): Promise<{ id: string; secret: string }> => {
    const res = dataOf(await call(who, CREATE_ENDPOINT, { input })).createEndpoint;
    return { id: res.endpoint.id, secret: res.secret };
  };
  const rowsOf = async (who: Tenant): Promise<Record<string, unknown>[]> =>
    ds.query(
      'SELECT name, description, schema, sample_payload, archived, updated_at FROM tenant_event_types WHERE tenant_id = $1 ORDER BY name',
      [who.id],
    );

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await t.close();
  });

  it('comment.created: created with a schema, published, delivered and verified; a non-matching payload names the path', async () => {
    const a = tenant();
    const created = await createType(a, {
      name: 'comment.created',
      description: 'A comment was posted',
      schema: COMMENT_SCHEMA,
      samplePayload: COMMENT,
      groupName: 'comments',
    });
    expect(created).toMatchObject({
      name: 'comment.created',
      source: 'TENANT',
      archived: false,
      deprecated: false,
      groupName: 'comments',
      schema: COMMENT_SCHEMA,
      samplePayload: COMMENT,
    });
    expect(Date.parse(created.createdAt as string)).not.toBeNaN();

    const r = await receiver();
    const ep = await endpoint(a, { url: r.url, eventTypes: ['comment.created'] });
    const event = await published(a, 'comment.created', COMMENT);
    const [request] = await r.waitFor(1);
    expect(verify(ep.secret, request)).toEqual({
      id: event.id,
      type: 'comment.created',
      timestamp: event.createdAt,
      data: COMMENT,
    });

    const bad = refusal(
      await publish(a, 'comment.created', { comment: { id: 'c_2', body: '', postedAt: '2026-12-01T10:00:00Z' } }),
    );
    expect(bad).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'payload.comment.body',
      reasonCode: 'PAYLOAD_SCHEMA_MISMATCH',
    });
    const missing = refusal(await publish(a, 'comment.created', { comment: { id: 'c_3', body: 'x' } }));
    expect(missing).toMatchObject({ code: 'BAD_USER_INPUT', field: 'payload.comment.postedAt', reason: 'is required' });
    const pattern = refusal(await publish(a, 'comment.created', { comment: { ...COMMENT.comment, id: 'nope' } }));
    expect(pattern).toMatchObject({ code: 'BAD_USER_INPUT', field: 'payload.comment.id' });
    expect(r.requests).toHaveLength(1);

    const listed = dataOf(await call(a, LIST)).eventTypes as { name: string; source: string }[];
    expect(listed.find((e) => e.name === 'comment.created')).toEqual({
      name: 'comment.created',
      source: 'TENANT',
      archived: false,
      deprecated: false,
    });
    expect(listed.find((e) => e.name === 'order.created')?.source).toBe('BUILT_IN');
    expect(listed.find((e) => e.name === 'endpoint.failing')?.source).toBe('OPERATIONAL');
    expect(listed.map((e) => e.name)).toEqual([...listed.map((e) => e.name)].sort());
  });

  it('another tenant neither sees the type nor can publish or subscribe to it, and may define its own of that name', async () => {
    const a = tenant();
    const b = tenant();
    await createType(a, {
      name: 'comment.created',
      description: 'A comment',
      schema: COMMENT_SCHEMA,
      samplePayload: COMMENT,
    });
    // Positive control: the owner sees and publishes it.
    expect(dataOf(await call(a, ONE, { name: 'comment.created' })).eventType.source).toBe('TENANT');
    await published(a, 'comment.created', COMMENT);

    const names = (dataOf(await call(b, LIST, { all: true })).eventTypes as { name: string }[]).map((e) => e.name);
    expect(names).toContain('order.created');
    expect(names).not.toContain('comment.created');
    expect(refusal(await call(b, ONE, { name: 'comment.created' }))).toMatchObject({
      code: 'NOT_FOUND',
      reasonCode: 'EVENT_TYPE_NOT_FOUND',
    });
    expect(refusal(await publish(b, 'comment.created', COMMENT))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reasonCode: 'UNKNOWN_EVENT_TYPE',
    });
    const r = await receiver();
    expect(
      refusal(await call(b, CREATE_ENDPOINT, { input: { url: r.url, eventTypes: ['comment.created'] } })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      unknown: ['comment.created'],
    });
    expect(refusal(await call(b, ARCHIVE, { name: 'comment.created' })).code).toBe('NOT_FOUND');

    // Names are unique per tenant: b defines its own comment.created, with a schema of its own.
    await createType(b, {
      name: 'comment.created',
      description: "b's comments",
      schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
    });
    await published(b, 'comment.created', { text: 'hi' });
    expect(refusal(await publish(b, 'comment.created', COMMENT)).field).toBe('payload.text');
    expect(refusal(await publish(a, 'comment.created', { text: 'hi' })).field).toBe('payload.comment');
    expect(dataOf(await call(a, ONE, { name: 'comment.created' })).eventType.description).toBe('A comment');
  });

  it('the seed partner list of types is created, subscribed to and published', async () => {
    const a = tenant();
    for (const name of PARTNER_TYPES) {
      await createType(a, {
        name,
        description: `partner ${name}`,
        groupName: name.split('_').slice(1).join('_'),
        schema: {
          type: 'object',
          required: ['shopId', 'id'],
          properties: { shopId: { type: 'string' }, id: { type: 'string' } },
        },
      });
    }
    const r = await receiver();
    const ep = await endpoint(a, { url: r.url, eventTypes: PARTNER_TYPES });
    const ids = new Map<string, string>();
    for (const name of PARTNER_TYPES)
      ids.set(name, (await published(a, name, { shopId: 'shop_1', id: `${name}-1` })).id);
    const requests = await r.waitFor(PARTNER_TYPES.length, 30_000);
    const bodies = requests.map((req) => verify(ep.secret, req));
    expect(bodies.map((b) => b.type).sort()).toEqual([...PARTNER_TYPES].sort());
    for (const body of bodies) {
      expect(body.id).toBe(ids.get(body.type as string));
      expect(body.data).toEqual({ shopId: 'shop_1', id: `${body.type as string}-1` });
    }
  }, 60_000);

  it('archive → publish refused (UNPROCESSABLE) → unarchive → publish works; subscriptions are kept; deprecated changes nothing', async () => {
    const a = tenant();
    await createType(a, { name: 'NEW_MEMBER', description: 'A member joined', schema: { type: 'object' } });
    const r = await receiver();
    const ep = await endpoint(a, { url: r.url, eventTypes: ['NEW_MEMBER'] });
    await published(a, 'NEW_MEMBER', { n: 1 });
    await r.waitFor(1);

    expect(dataOf(await call(a, ARCHIVE, { name: 'NEW_MEMBER' })).archiveEventType).toEqual({
      name: 'NEW_MEMBER',
      archived: true,
    });
    expect(refusal(await publish(a, 'NEW_MEMBER', { n: 2 }))).toMatchObject({
      code: 'UNPROCESSABLE',
      reason: 'EVENT_TYPE_ARCHIVED',
      reasonCode: 'EVENT_TYPE_ARCHIVED',
      field: 'input.eventType',
    });
    const visible = (dataOf(await call(a, LIST)).eventTypes as { name: string }[]).map((e) => e.name);
    expect(visible).not.toContain('NEW_MEMBER');
    const all = dataOf(await call(a, LIST, { all: true })).eventTypes as { name: string; archived: boolean }[];
    expect(all.find((e) => e.name === 'NEW_MEMBER')?.archived).toBe(true);
    const other = await receiver();
    expect(
      refusal(await call(a, CREATE_ENDPOINT, { input: { url: other.url, eventTypes: ['NEW_MEMBER'] } })),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      reasonCode: 'EVENT_TYPE_ARCHIVED',
      archived: ['NEW_MEMBER'],
    });
    expect(dataOf(await call(a, ENDPOINT, { id: ep.id })).endpoint.eventTypes).toEqual(['NEW_MEMBER']);

    expect(dataOf(await call(a, UNARCHIVE, { name: 'NEW_MEMBER' })).unarchiveEventType.archived).toBe(false);
    const back = await published(a, 'NEW_MEMBER', { n: 3 });
    const requests = await r.waitFor(2);
    expect(verify(ep.secret, requests[1])).toMatchObject({ id: back.id, type: 'NEW_MEMBER', data: { n: 3 } });

    const deprecated = dataOf(
      await call(a, UPDATE_TYPE, { name: 'NEW_MEMBER', input: { deprecated: true } }),
    ).updateEventType;
    expect(deprecated.deprecated).toBe(true);
    const still = await published(a, 'NEW_MEMBER', { n: 4 });
    expect(verify(ep.secret, (await r.waitFor(3))[2])).toMatchObject({ id: still.id, data: { n: 4 } });
    expect(
      (dataOf(await call(a, LIST)).eventTypes as { name: string; deprecated: boolean }[]).find(
        (e) => e.name === 'NEW_MEMBER',
      )?.deprecated,
    ).toBe(true);
  });

  it('updateEventType: a new schema applies to the next publish, one that rejects the sample is refused, each change is audited with both hashes', async () => {
    const a = tenant();
    const v1 = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };
    await createType(a, {
      name: 'UPDATE_PRODUCT',
      description: 'A product changed',
      schema: v1,
      samplePayload: { id: 'p_1' },
    });
    await published(a, 'UPDATE_PRODUCT', { id: 'p_1' });

    const v2 = {
      type: 'object',
      required: ['id', 'price'],
      properties: { id: { type: 'string' }, price: { type: 'number' } },
    };
    const refused = refusal(await call(a, UPDATE_TYPE, { name: 'UPDATE_PRODUCT', input: { schema: v2 } }));
    expect(refused).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'samplePayload.price',
      reasonCode: 'SAMPLE_SCHEMA_MISMATCH',
    });
    expect((await rowsOf(a))[0].schema).toEqual(v1);
    await published(a, 'UPDATE_PRODUCT', { id: 'p_2' });

    const updated = dataOf(
      await call(a, UPDATE_TYPE, {
        name: 'UPDATE_PRODUCT',
        input: { schema: v2, samplePayload: { id: 'p_1', price: 5 } },
      }),
    ).updateEventType;
    expect(updated).toMatchObject({ schema: v2, samplePayload: { id: 'p_1', price: 5 } });
    expect(refusal(await publish(a, 'UPDATE_PRODUCT', { id: 'p_3' }))).toMatchObject({
      field: 'payload.price',
      reasonCode: 'PAYLOAD_SCHEMA_MISMATCH',
    });
    await published(a, 'UPDATE_PRODUCT', { id: 'p_3', price: 9.5 });

    const audits = dataOf(await call(a, AUDIT, { action: 'event_type.updated' })).auditLogs.edges.map(
      (e: { node: { metadata: Record<string, unknown> } }) => e.node.metadata,
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      name: 'UPDATE_PRODUCT',
      oldSchemaHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      newSchemaHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(audits[0].oldSchemaHash).not.toBe(audits[0].newSchemaHash);
    const createdAudit = dataOf(await call(a, AUDIT, { action: 'event_type.created' })).auditLogs.edges[0].node
      .metadata;
    expect(createdAudit.schemaHash).toBe(audits[0].oldSchemaHash);

    expect(
      refusal(await call(a, UPDATE_TYPE, { name: 'order.created', input: { description: 'mine now' } })),
    ).toMatchObject({
      code: 'UNPROCESSABLE',
      reason: 'EVENT_TYPE_READ_ONLY',
    });
    expect(refusal(await call(a, ARCHIVE, { name: 'endpoint.failing' })).reason).toBe('EVENT_TYPE_READ_ONLY');
  });

  it('generated samples match their schemas, and filters, reducers and sendTestDelivery use them', async () => {
    const a = tenant();
    const schema = {
      type: 'object',
      required: ['order', 'placedAt', 'channel'],
      $defs: {
        money: {
          type: 'object',
          required: ['amount', 'currency'],
          properties: { amount: { type: 'number', minimum: 1 }, currency: { enum: ['USD', 'EUR'] } },
        },
      },
      properties: {
        order: {
          type: 'object',
          required: ['id', 'total', 'lines'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            total: { $ref: '#/$defs/money' },
            lines: {
              type: 'array',
              minItems: 1,
              items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string', minLength: 4 } } },
            },
          },
        },
        placedAt: { type: 'string', format: 'date-time' },
        channel: { type: 'string', enum: ['web', 'pos'] },
        email: { type: 'string', format: 'email' },
      },
    };
    const created = await createType(a, { name: 'NEW_CONSUMER_ORDER', description: 'An order', schema });
    const sample = created.samplePayload as Record<string, unknown>;
    expect(sample).toMatchObject({ channel: 'web', order: { total: { currency: 'USD' } } });
    expect(sample).not.toHaveProperty('email');
    // The server's own validation accepts its sample: publishing it succeeds.
    await published(a, 'NEW_CONSUMER_ORDER', sample);

    const r = await receiver();
    const ep = await endpoint(a, { url: r.url, eventTypes: ['NEW_CONSUMER_ORDER'] });
    await dataOf(await call(a, TEST_DELIVERY, { id: ep.id, type: 'NEW_CONSUMER_ORDER' }));
    const [test] = await r.waitFor(1);
    expect(verify(ep.secret, test)).toMatchObject({ type: 'NEW_CONSUMER_ORDER', data: sample });

    // A filter and a reducer are checked against the type's sample, then applied to what is published.
    const badReducer = refusal(
      await call(a, SAVE_FILTER, {
        endpointId: ep.id,
        input: { eventType: 'NEW_CONSUMER_ORDER', reducer: { x: '$..[' } },
      }),
    );
    expect(badReducer.code).toBe('BAD_USER_INPUT');
    const filter = { query: '$.order.total.amount', condition: '(v) => v > 100' };
    dataOf(
      await call(a, SAVE_FILTER, {
        endpointId: ep.id,
        input: { eventType: 'NEW_CONSUMER_ORDER', filter, reducer: { orderId: '$.order.id' } },
      }),
    );
    const order = (amount: number) => ({
      ...sample,
      order: {
        ...(sample.order as object),
        id: `00000000-0000-4000-8000-${String(amount).padStart(12, '0')}`,
        total: { amount, currency: 'EUR' },
      },
    });
    await published(a, 'NEW_CONSUMER_ORDER', order(50));
    const big = await published(a, 'NEW_CONSUMER_ORDER', order(500));
    const requests = await r.waitFor(2);
    expect(verify(ep.secret, requests[1])).toMatchObject({
      id: big.id,
      data: { orderId: '00000000-0000-4000-8000-000000000500' },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests).toHaveLength(2);
  });

  it('importEventTypes: dry run reports and changes nothing, the import creates, the same document again changes nothing', async () => {
    const a = tenant();
    const openApi = readFileSync(join(__dirname, '../fixtures/partner-webhooks.openapi.yaml'), 'utf8');
    const expected = ['COMPLETE_TRANSACTION', 'NEW_CONSUMER_ORDER', 'NEW_MEMBER', 'UPDATE_CONSUMER_ORDER'];
    const sorted = (res: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(res).map(([k, v]) => [k, [...v].sort()]));

    const dry = dataOf(await call(a, IMPORT, { input: { openApi, dryRun: true } })).importEventTypes;
    expect(sorted(dry)).toEqual({ created: expected, updated: [], unchanged: [] });
    expect(await rowsOf(a)).toEqual([]);

    const real = dataOf(await call(a, IMPORT, { input: { openApi } })).importEventTypes;
    expect(sorted(real)).toEqual({ created: expected, updated: [], unchanged: [] });
    const rows = await rowsOf(a);
    expect(rows.map((row) => row.name)).toEqual(expected);

    const again = dataOf(await call(a, IMPORT, { input: { openApi } })).importEventTypes;
    expect(sorted(again)).toEqual({ created: [], updated: [], unchanged: expected });
    expect(await rowsOf(a)).toEqual(rows);

    // A changed document: dry run names the change, the import applies it.
    const changed = openApi.replace(
      'summary: A consumer placed an order',
      'summary: A consumer placed an order online',
    );
    expect(
      dataOf(await call(a, IMPORT, { input: { openApi: changed, dryRun: true } })).importEventTypes.updated,
    ).toEqual(['NEW_CONSUMER_ORDER']);
    expect(await rowsOf(a)).toEqual(rows);
    expect(dataOf(await call(a, IMPORT, { input: { openApi: changed } })).importEventTypes.updated).toEqual([
      'NEW_CONSUMER_ORDER',
    ]);

    // The imported types are publishable: the example, and a payload through the shared components, are checked.
    const order = dataOf(await call(a, ONE, { name: 'NEW_CONSUMER_ORDER' })).eventType;
    expect(order.description).toBe('A consumer placed an order online');
    await published(a, 'NEW_CONSUMER_ORDER', order.samplePayload);
    const bad = {
      shopId: 's',
      order: { id: 'o', status: 'placed', total: { amount: 1, currency: 'USD' }, lines: [{ sku: 'a', quantity: 0 }] },
    };
    expect(refusal(await publish(a, 'NEW_CONSUMER_ORDER', bad)).field).toBe('payload.order.lines[0].quantity');
    const member = dataOf(await call(a, ONE, { name: 'NEW_MEMBER' })).eventType;
    await published(a, 'NEW_MEMBER', member.samplePayload);

    // A document with a remote ref imports nothing.
    const remote = openApi
      .replace("$ref: '#/components/schemas/Money' }", "$ref: 'https://evil.example/money.json' }")
      .replace('NEW_MEMBER:', 'UPDATE_MEMBER:');
    expect(refusal(await call(a, IMPORT, { input: { openApi: remote } }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reasonCode: 'INVALID_OPENAPI',
    });
    expect((await rowsOf(a)).map((row) => row.name)).toEqual(expected);
  });

  it('bad inputs each give a clear error and change nothing', async () => {
    const a = tenant();
    await createType(a, {
      name: 'comment.created',
      description: 'A comment',
      schema: COMMENT_SCHEMA,
      samplePayload: COMMENT,
    });
    const before = await rowsOf(a);
    const attempt = async (input: Record<string, unknown>) =>
      refusal(await call(a, CREATE_TYPE, { input: { description: 'x', ...input } }));

    expect(
      await attempt({ name: 'bad.schema', schema: { type: 'object', properties: { n: { type: 'integr' } } } }),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.schema',
      schemaPath: '/properties/n/type',
      reasonCode: 'INVALID_EVENT_TYPE_SCHEMA',
    });
    expect(
      await attempt({
        name: 'remote.ref',
        schema: { type: 'object', properties: { n: { $ref: 'http://169.254.169.254/latest/meta-data' } } },
      }),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      schemaPath: '/properties/n/$ref',
      reasonCode: 'REMOTE_SCHEMA_REF',
    });
    const huge = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 2000 }, (_, i) => [`field_${i}`, { type: 'string', description: 'padding' }]),
      ),
    };
    expect(Buffer.byteLength(JSON.stringify(huge))).toBeGreaterThan(70 * 1024);
    expect(await attempt({ name: 'huge.schema', schema: huge })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.schema',
      limit: 65536,
      reasonCode: 'LIMIT_EXCEEDED',
    });
    for (const name of ['order.created', 'webhook.test', 'endpoint.failing']) {
      expect(await attempt({ name })).toMatchObject({
        code: 'CONFLICT',
        reason: 'EVENT_TYPE_NAME_RESERVED',
        field: 'name',
      });
    }
    expect(await attempt({ name: 'comment.created' })).toMatchObject({
      code: 'CONFLICT',
      reason: 'EVENT_TYPE_NAME_TAKEN',
    });
    for (const name of ['', 'has space', 'x'.repeat(129), 'slash/name', 'émoji']) {
      expect(await attempt({ name })).toMatchObject({ code: 'BAD_USER_INPUT', reasonCode: 'INVALID_EVENT_TYPE_NAME' });
    }
    expect(
      await attempt({
        name: 'bad.sample',
        schema: COMMENT_SCHEMA,
        samplePayload: { comment: { id: 'c_1', body: 'b' } },
      }),
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'samplePayload.comment.postedAt',
      reasonCode: 'SAMPLE_SCHEMA_MISMATCH',
    });
    // A pattern the generator cannot satisfy: the sample must be given.
    expect(await attempt({ name: 'no.sample', schema: COMMENT_SCHEMA })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.samplePayload',
      reason: expect.stringContaining('give one'),
      reasonCode: 'SAMPLE_SCHEMA_MISMATCH',
    });
    expect(
      await attempt({
        name: 'unsafe.pattern',
        schema: { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } },
      }),
    ).toMatchObject({
      schemaPath: '/properties/a/pattern',
    });
    expect(
      refusal(
        await call(a, UPDATE_TYPE, {
          name: 'comment.created',
          input: { schema: { type: 'object', properties: { n: { $ref: 'https://x.example/s' } } } },
        }),
      ).reasonCode,
    ).toBe('REMOTE_SCHEMA_REF');
    expect(await rowsOf(a)).toEqual(before);
    const names = (dataOf(await call(a, LIST, { all: true })).eventTypes as { name: string; source: string }[])
      .filter((e) => e.source === 'TENANT')
      .map((e) => e.name);
    expect(names).toEqual(['comment.created']);
  });
});
