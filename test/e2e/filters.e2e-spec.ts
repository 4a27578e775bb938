import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { findPlatformEventType } from '../../src/event-types/catalog/platform-catalog';
import { FilterReducerEntity } from '../../src/filters/filter-reducer.entity';
import { FiltersService } from '../../src/filters/filters.service';
import { createTestApp, TestApp } from '../support/app';
import { dataOf, errorCode, gql, GqlResponse } from '../support/graphql-client';
import { Receiver, waitUntil } from '../support/receiver';
import { adminToken, newTenantId } from '../support/tokens';

const VALIDATE_FILTER = `query($input: ValidateFilterInput!) { validateFilter(input: $input) { success message filterResult } }`;
const VALIDATE_REDUCER = `query($input: ValidateReducerInput!) { validateReducer(input: $input) { success message reducerResult } }`;
const SAVE = `mutation($endpointId: ID!, $input: SaveFilterReducerInput!) {
  saveFilterReducer(endpointId: $endpointId, input: $input) { id endpointId eventType filter reducer updatedAt }
}`;
const DELETE = `mutation($endpointId: ID!, $eventType: String!) { deleteFilterReducer(endpointId: $endpointId, eventType: $eventType) }`;
const ENDPOINT_FILTERS = `query($id: ID!) { endpoint(id: $id) { id filters { id endpointId eventType filter reducer updatedAt } } }`;
const CREATE_ENDPOINT = `mutation($input: CreateEndpointInput!) { createEndpoint(input: $input) { endpoint { id } secret } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }`;
const EVENT_DELIVERIES = `query($id: ID!) { event(id: $id) { deliveries(first: 10) { edges { node { endpointId payload } } } } }`;
const EVENT_DELIVERY_STATUS = `query($id: ID!) {
  event(id: $id) { deliveries(first: 10) { edges { node { endpointId status payload } } } }
}`;
const TOGGLE_ENDPOINT = `mutation($id: ID!) { toggleEndpoint(id: $id) { id isActive } }`;
const AUDIT = `query($action: String, $targetId: String) { auditLogs(first: 20, action: $action, targetId: $targetId) { edges { node { action targetType targetId metadata } } } }`;

interface Config {
  id: string;
  endpointId: string;
  eventType: string;
  filter: Record<string, unknown> | null;
  reducer: Record<string, unknown> | null;
  updatedAt: string;
}

const EXAMPLE = { query: '$.order.total', condition: '(v) => v > 100' };
const order = (total: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  order: {
    id: 'ord_1',
    total,
    country: 'US',
    email: 'maya@example.com',
    line_items: [{ sku: 'SKU-1', quantity: 2 }],
    ...extra,
  },
});

/** Escape attempts from the engine's spec: each must be refused when compiling, with this reason. */
const ESCAPES: [string, RegExp][] = [
  ['v => v.constructor.constructor("return process")()', /property "constructor" is not allowed/],
  ['v => this', /"this" is not allowed/],
  ['v => globalThis', /identifier "globalThis" is not allowed/],
  ['v => process.exit()', /identifier "process" is not allowed/],
  ['v => require("fs")', /calling "require" is not allowed/],
  ['v => import("fs")', /"import" is not supported/],
  ['v => eval("1")', /calling "eval" is not allowed/],
  ['v => Function("return 1")()', /calling "Function" is not allowed/],
  ['v => v["__proto__"]', /property "__proto__" is not allowed/],
  ['v => (v.x = 1)', /assignment is not supported/],
  ['v => { while(true){} }', /blocks, statements and object literals are not supported/],
  ['v => [].constructor', /property "constructor" is not allowed/],
  ['v => Object.assign({}, v)', /object literals are not supported/],
  ['v => `${v}`', /template literals are not supported/],
  ['v => new Date()', /"new" is not supported/],
  ['v => /a/.test(v)', /regular expressions are not supported/],
];

/** Conditions over the engine's size limits: BAD_USER_INPUT with reasonCode LIMIT_EXCEEDED, from validate and save alike. */
const OVERSIZED: [string, RegExp][] = [
  [`v => ${'('.repeat(500)}v${')'.repeat(500)}`, /nested deeper than 32 levels/],
  [`v => ${'v + '.repeat(250_000)}1`, /characters long; the limit is 2000/],
];

/** Test titles: the 1 MB and 500-deep conditions would flood the report. */
const toCases = (list: [string, RegExp][]) =>
  list.map(([condition, reason]) => ({
    title: condition.length > 60 ? `${condition.slice(0, 40)}… (${condition.length} characters)` : condition,
    condition,
    reason,
  }));
const escapeCases = toCases(ESCAPES);
const oversizedCases = toCases(OVERSIZED);

describe('filters and reducers (real Postgres)', () => {
  let t: TestApp;
  let ds: DataSource;
  const tenantA = newTenantId();
  const tenantB = newTenantId();
  const adminA = adminToken({ tenantId: tenantA });
  const adminB = adminToken({ tenantId: tenantB });

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  async function createEndpoint(token: string, eventTypes: string[] = ['order.created']): Promise<string> {
    const res = await gql(
      t.graphqlUrl,
      CREATE_ENDPOINT,
      { input: { url: 'http://127.0.0.1:65000/hook', eventTypes } },
      token,
    );
    return dataOf(res).createEndpoint.endpoint.id as string;
  }

  async function save(
    token: string,
    endpointId: string,
    input: Record<string, unknown>,
  ): Promise<GqlResponse<{ saveFilterReducer: Config }>> {
    return gql<{ saveFilterReducer: Config }>(t.graphqlUrl, SAVE, { endpointId, input }, token);
  }

  async function storedFor(endpointId: string): Promise<FilterReducerEntity[]> {
    return ds.getRepository(FilterReducerEntity).findBy({ endpointId });
  }

  async function validateFilter(
    sampleData: unknown,
    filter: unknown,
  ): Promise<{ success: boolean; message: string | null; filterResult: boolean | null }> {
    return dataOf(await gql(t.graphqlUrl, VALIDATE_FILTER, { input: { sampleData, filter } }, adminA)).validateFilter;
  }

  describe('validateFilter', () => {
    it('explains the issue example: true for 150, false for 80', async () => {
      expect(await validateFilter(order(150), EXAMPLE)).toEqual({
        success: true,
        filterResult: true,
        message: '$.order.total extracted 150, (v) => v > 100 returned true',
      });
      expect(await validateFilter(order(80), EXAMPLE)).toEqual({
        success: true,
        filterResult: false,
        message: '$.order.total extracted 80, (v) => v > 100 returned false',
      });
    });

    it('evaluates nested AND/OR and names the deciding leaf', async () => {
      const filter = {
        logic: 'AND',
        conditions: [
          { query: '$.order.country', condition: 'v => ["US","CA"].includes(v)' },
          {
            logic: 'OR',
            conditions: [EXAMPLE, { query: '$.order.line_items[*].sku', condition: '(sku) => sku.startsWith("VIP-")' }],
          },
        ],
      };
      expect(await validateFilter(order(80), filter)).toEqual({
        success: true,
        filterResult: false,
        message:
          'AND failed at conditions[1]: OR failed: none of 2 conditions were true, the last at conditions[1]: $.order.line_items[*].sku extracted "SKU-1", (sku) => sku.startsWith("VIP-") returned false',
      });
      const passed = await validateFilter(order(150), filter);
      expect(passed).toMatchObject({ success: true, filterResult: true });
      expect(passed.message).toMatch(
        /^AND passed: all 2 conditions were true, the last at conditions\[1\]: OR passed at conditions\[0\]: \$\.order\.total extracted 150/,
      );
      expect(await validateFilter({}, { logic: 'AND', conditions: [] })).toMatchObject({
        success: true,
        filterResult: true,
      });
    });

    it('answers a malformed filter with success false, the field and the position', async () => {
      expect(
        await validateFilter(order(1), {
          logic: 'OR',
          conditions: [EXAMPLE, { query: '$.order.total', condition: '(v) => v >' }],
        }),
      ).toEqual({
        success: false,
        filterResult: null,
        message: 'filter.conditions[1].condition: parse error at position 10: Expected expression after >',
      });
      const badPath = await validateFilter(order(1), { query: '$.order[' });
      expect(badPath.success).toBe(false);
      expect(badPath.message).toMatch(/^filter\.query: invalid JSONPath at position 8/);
    });

    it('refuses a tree over 50 nodes or 32 levels, and a sample over 256 KiB, with BAD_USER_INPUT', async () => {
      const wide = await gql(
        t.graphqlUrl,
        VALIDATE_FILTER,
        { input: { sampleData: {}, filter: { conditions: Array.from({ length: 51 }, () => EXAMPLE) } } },
        adminA,
      );
      expect(errorCode(wide)).toBe('BAD_USER_INPUT');
      expect(wide.errors?.[0].extensions).toMatchObject({ field: 'filter.conditions[49]', limit: 50 });

      let deep: Record<string, unknown> = EXAMPLE;
      for (let i = 0; i < 40; i++) deep = { logic: 'OR', conditions: [deep] };
      const tooDeep = await gql(t.graphqlUrl, VALIDATE_FILTER, { input: { sampleData: {}, filter: deep } }, adminA);
      expect(errorCode(tooDeep)).toBe('BAD_USER_INPUT');
      expect(tooDeep.errors?.[0].message).toMatch(/filter is nested deeper than 32 levels/);

      const big = await gql(
        t.graphqlUrl,
        VALIDATE_FILTER,
        { input: { sampleData: { s: 'x'.repeat(300_000) }, filter: EXAMPLE } },
        adminA,
      );
      expect(errorCode(big)).toBe('BAD_USER_INPUT');
      expect(big.errors?.[0].extensions).toMatchObject({ field: 'sampleData', limit: 262144 });
    });

    it('needs manage_webhooks', async () => {
      const res = await gql(
        t.graphqlUrl,
        VALIDATE_FILTER,
        { input: { sampleData: {}, filter: EXAMPLE } },
        adminToken({ tenantId: tenantA, permissions: ['read_only'] }),
      );
      expect(errorCode(res)).toBe('FORBIDDEN');
    });
  });

  describe('validateReducer', () => {
    it('returns the reducer output', async () => {
      const reducer = {
        orderId: '$.order.id',
        skus: '$.order.line_items[*].sku',
        meta: { source: 'shop', tags: ['a', '$.order.country'] },
        coupon: '$.order.coupon',
      };
      const res = dataOf(
        await gql(t.graphqlUrl, VALIDATE_REDUCER, { input: { sampleData: order(150), reducer } }, adminA),
      ).validateReducer;
      expect(res).toEqual({
        success: true,
        message: null,
        reducerResult: { orderId: 'ord_1', skus: 'SKU-1', meta: { source: 'shop', tags: ['a', 'US'] }, coupon: null },
      });
    });

    it('answers a failing path with success false', async () => {
      const res = dataOf(
        await gql(
          t.graphqlUrl,
          VALIDATE_REDUCER,
          { input: { sampleData: order(1), reducer: { order: { id: '$.order.id', bad: '$.order[' } } } },
          adminA,
        ),
      ).validateReducer;
      expect(res.success).toBe(false);
      expect(res.reducerResult).toBeNull();
      expect(res.message).toMatch(/^reducer\.order\.bad: invalid JSONPath at position 8/);
      const notObject = dataOf(
        await gql(t.graphqlUrl, VALIDATE_REDUCER, { input: { sampleData: {}, reducer: '$.order' } }, adminA),
      ).validateReducer;
      expect(notObject).toEqual({
        success: false,
        reducerResult: null,
        message: 'reducer: must be a JSON object, e.g. { "id": "$.order.id" }',
      });
    });

    it('answers a reducer whose output passes 256 KiB with BAD_USER_INPUT, LIMIT_EXCEEDED', async () => {
      const res = await gql(
        t.graphqlUrl,
        VALIDATE_REDUCER,
        { input: { sampleData: { text: 'x'.repeat(150_000) }, reducer: { a: '$.text', b: '$..*' } } },
        adminA,
      );
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions).toMatchObject({
        field: 'reducer',
        reasonCode: 'LIMIT_EXCEEDED',
        limit: 262144,
      });
      expect(res.errors?.[0].message).toMatch(/^reducer: output is larger than 262144 characters/);
    });
  });

  describe('saveFilterReducer, Endpoint.filters, deleteFilterReducer', () => {
    it('stores one configuration per endpoint and event type, shows it on the endpoint, and deletes it', async () => {
      const endpointId = await createEndpoint(adminA);
      const first = dataOf(
        await save(adminA, endpointId, { eventType: 'order.created', filter: EXAMPLE, reducer: { id: '$.order.id' } }),
      ).saveFilterReducer;
      expect(first).toMatchObject({
        endpointId,
        eventType: 'order.created',
        filter: EXAMPLE,
        reducer: { id: '$.order.id' },
      });

      // Saving again replaces the row (same id, later updatedAt); a part left out is removed.
      const second = dataOf(
        await save(adminA, endpointId, { eventType: 'order.created', reducer: { total: '$.order.total' } }),
      ).saveFilterReducer;
      expect(second).toMatchObject({ id: first.id, filter: null, reducer: { total: '$.order.total' } });
      expect(Date.parse(second.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt));
      const other = dataOf(
        await save(adminA, endpointId, {
          eventType: 'order.cancelled',
          filter: { logic: 'OR', conditions: [EXAMPLE, { query: '$.order.vip' }] },
        }),
      ).saveFilterReducer;
      expect(other.filter).toEqual({ logic: 'OR', conditions: [EXAMPLE, { query: '$.order.vip' }] });

      const listed = dataOf(await gql(t.graphqlUrl, ENDPOINT_FILTERS, { id: endpointId }, adminA)).endpoint
        .filters as Config[];
      expect(listed.map((c) => [c.eventType, c.id])).toEqual([
        ['order.cancelled', other.id],
        ['order.created', first.id],
      ]);
      expect(await storedFor(endpointId)).toHaveLength(2);

      expect(
        dataOf(await gql(t.graphqlUrl, DELETE, { endpointId, eventType: 'order.created' }, adminA)).deleteFilterReducer,
      ).toBe(true);
      expect(
        dataOf(await gql(t.graphqlUrl, DELETE, { endpointId, eventType: 'order.created' }, adminA)).deleteFilterReducer,
      ).toBe(false);
      const after = dataOf(await gql(t.graphqlUrl, ENDPOINT_FILTERS, { id: endpointId }, adminA)).endpoint
        .filters as Config[];
      expect(after.map((c) => c.eventType)).toEqual(['order.cancelled']);

      const saved = dataOf(
        await gql(t.graphqlUrl, AUDIT, { action: 'filter_reducer.saved', targetId: first.id }, adminA),
      ).auditLogs.edges;
      expect(saved).toHaveLength(2);
      expect(saved[0].node).toMatchObject({
        targetType: 'endpoint_filter',
        metadata: { endpointId, eventType: 'order.created' },
      });
      const deleted = dataOf(
        await gql(t.graphqlUrl, AUDIT, { action: 'filter_reducer.deleted', targetId: first.id }, adminA),
      ).auditLogs.edges;
      expect(deleted).toHaveLength(1);
    });

    it('refuses an unknown event type and an empty configuration with BAD_USER_INPUT', async () => {
      const endpointId = await createEndpoint(adminA);
      const unknown = await save(adminA, endpointId, { eventType: 'order.exploded', filter: EXAMPLE });
      expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
      expect(unknown.errors?.[0].extensions).toMatchObject({ field: 'eventType', reasonCode: 'UNKNOWN_EVENT_TYPE' });
      expect(unknown.errors?.[0].extensions?.reason).toBe(
        'unknown event type "order.exploded"; see the eventTypes query',
      );
      const empty = await save(adminA, endpointId, { eventType: 'order.created' });
      expect(errorCode(empty)).toBe('BAD_USER_INPUT');
      expect(empty.errors?.[0].extensions?.field).toBe('input');
      const badReducer = await save(adminA, endpointId, {
        eventType: 'order.created',
        filter: EXAMPLE,
        reducer: { id: '$.order.id', x: { y: '$[' } },
      });
      expect(errorCode(badReducer)).toBe('BAD_USER_INPUT');
      expect(badReducer.errors?.[0].extensions?.field).toBe('reducer.x.y');
      expect(await storedFor(endpointId)).toHaveLength(0);
    });

    it("answers NOT_FOUND for another tenant's endpoint and changes nothing", async () => {
      const endpointId = await createEndpoint(adminA);
      const mine = dataOf(
        await save(adminA, endpointId, { eventType: 'order.created', filter: EXAMPLE }),
      ).saveFilterReducer;

      expect(errorCode(await save(adminB, endpointId, { eventType: 'order.created', filter: { query: '$.x' } }))).toBe(
        'NOT_FOUND',
      );
      expect(errorCode(await save(adminB, endpointId, { eventType: 'order.updated', reducer: { a: '$.a' } }))).toBe(
        'NOT_FOUND',
      );
      expect(errorCode(await gql(t.graphqlUrl, DELETE, { endpointId, eventType: 'order.created' }, adminB))).toBe(
        'NOT_FOUND',
      );
      expect(errorCode(await save(adminA, 'not-a-uuid', { eventType: 'order.created', filter: EXAMPLE }))).toBe(
        'NOT_FOUND',
      );
      expect(
        errorCode(
          await save(adminA, '00000000-0000-4000-8000-000000000000', { eventType: 'order.created', filter: EXAMPLE }),
        ),
      ).toBe('NOT_FOUND');

      const stored = await storedFor(endpointId);
      expect(stored.map((c) => [c.id, c.tenantId, c.eventType, c.filter])).toEqual([
        [mine.id, tenantA, 'order.created', EXAMPLE],
      ]);
      expect(stored[0].updatedAt.toISOString()).toBe(mine.updatedAt);
      expect(await t.app.get(FiltersService).listForEndpoint(tenantB, endpointId)).toEqual([]);
    });
  });

  describe('escape attempts through the API', () => {
    it.each(escapeCases)(
      '$title: validateFilter answers success false with the reason; saveFilterReducer stores nothing',
      async ({ title, condition, reason }) => {
        const validated = await validateFilter(order(150), {
          logic: 'AND',
          conditions: [EXAMPLE, { query: '$.order', condition }],
        });
        expect({ title, ...validated }).toEqual({
          title,
          success: false,
          filterResult: null,
          message: expect.stringMatching(reason),
        });
        expect(validated.message).toMatch(/^filter\.conditions\[1\]\.condition: /);

        const endpointId = await createEndpoint(adminA);
        const saved = await save(adminA, endpointId, {
          eventType: 'order.created',
          filter: { query: '$.order', condition },
        });
        expect(errorCode(saved)).toBe('BAD_USER_INPUT');
        expect(saved.errors?.[0].extensions?.field).toBe('filter.condition');
        expect(saved.errors?.[0].message).toMatch(reason);
        expect(await storedFor(endpointId)).toHaveLength(0);
      },
    );

    it.each(oversizedCases)(
      '$title: validateFilter and saveFilterReducer answer BAD_USER_INPUT, LIMIT_EXCEEDED',
      async ({ title, condition, reason }) => {
        const validated = await gql(
          t.graphqlUrl,
          VALIDATE_FILTER,
          { input: { sampleData: order(150), filter: { query: '$.order', condition } } },
          adminA,
        );
        expect({ title, code: errorCode(validated), extensions: validated.errors?.[0].extensions }).toMatchObject({
          title,
          code: 'BAD_USER_INPUT',
          extensions: {
            field: 'filter.condition',
            reasonCode: 'LIMIT_EXCEEDED',
            reason: expect.stringMatching(reason),
          },
        });
        const endpointId = await createEndpoint(adminA);
        const saved = await save(adminA, endpointId, {
          eventType: 'order.created',
          filter: { query: '$.order', condition },
        });
        expect(saved.errors?.[0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'filter.condition',
          reasonCode: 'LIMIT_EXCEEDED',
        });
        expect(await storedFor(endpointId)).toHaveLength(0);
      },
    );

    it('refuses a JSONPath filter expression that tries to run code, in a filter and in a reducer', async () => {
      const query = "$[?(@.constructor.constructor('return process')())]";
      const validated = await validateFilter(order(1), { query });
      expect(validated.success).toBe(false);
      expect(validated.message).toMatch(/^filter\.query: invalid JSONPath at position \d+/);
      const reduced = dataOf(
        await gql(t.graphqlUrl, VALIDATE_REDUCER, { input: { sampleData: order(1), reducer: { x: query } } }, adminA),
      ).validateReducer;
      expect(reduced.message).toMatch(/^reducer\.x: invalid JSONPath/);

      const endpointId = await createEndpoint(adminA);
      expect(errorCode(await save(adminA, endpointId, { eventType: 'order.created', reducer: { x: query } }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(await storedFor(endpointId)).toHaveLength(0);

      // JSON inputs reach the engine whole (issue 17: no member is dropped silently), and the engine refuses a
      // "__proto__" output key clearly (reducer.spec.ts): nothing is stored and nothing reaches a prototype.
      const proto = await save(adminA, endpointId, {
        eventType: 'order.created',
        reducer: JSON.parse('{"__proto__": {"polluted": "$.order"}, "id": "$.order.id"}'),
      });
      expect(proto.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'reducer.__proto__',
        reason: expect.stringMatching(/"__proto__" is not allowed/),
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await storedFor(endpointId)).toHaveLength(0);
    });

    it('makes a leaf false, with the reason, for an escape only visible at run time', async () => {
      const res = await validateFilter(order(1), { query: '$.order', condition: 'v => v["con" + "structor"]' });
      expect(res).toEqual({
        success: true,
        filterResult: false,
        message: expect.stringMatching(/property "constructor" is not allowed/),
      });
    });
  });

  describe('fan-out through publishEvent', () => {
    let receivers: Receiver[] = [];
    afterEach(async () => {
      await Promise.all(receivers.map((r) => r.close()));
      receivers = [];
    });

    // publishEvent validates payloads against the catalog's schema: variations of its sample.
    type Sample = {
      order: Record<string, unknown> & {
        id: string;
        line_items: { sku: string }[];
        shipping_address: Record<string, unknown>;
      };
    };
    const sample = findPlatformEventType('order.created')?.samplePayload as Sample;
    const published = (total: number, country = 'US'): Record<string, unknown> => ({
      ...sample,
      order: { ...sample.order, total, shipping_address: { ...sample.order.shipping_address, country } },
    });
    const skus = sample.order.line_items.map((item) => item.sku);

    /** An endpoint of its own tenant with a real receiver behind it. */
    async function receivingEndpoint(token: string): Promise<{ id: string; receiver: Receiver }> {
      const receiver = await Receiver.start();
      receivers.push(receiver);
      const created = dataOf(
        await gql(
          t.graphqlUrl,
          CREATE_ENDPOINT,
          { input: { url: receiver.url, eventTypes: ['order.created'] } },
          token,
        ),
      ).createEndpoint;
      return { id: created.endpoint.id as string, receiver };
    }

    async function publish(token: string, payload: Record<string, unknown>): Promise<string> {
      return dataOf(await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload } }, token))
        .publishEvent.id as string;
    }

    /** The event's deliveries, by endpoint: what fan-out created (the database's answer, no waiting). */
    async function deliveriesOf(
      token: string,
      eventId: string,
    ): Promise<Map<string, { status: string; data: unknown }>> {
      const edges = dataOf(await gql(t.graphqlUrl, EVENT_DELIVERY_STATUS, { id: eventId }, token)).event.deliveries
        .edges as {
        node: { endpointId: string; status: string; payload: { data: unknown } };
      }[];
      return new Map(edges.map(({ node }) => [node.endpointId, { status: node.status, data: node.payload.data }]));
    }

    /** The data the receiver got for this event, once it has arrived. */
    async function receivedData(receiver: Receiver, eventId: string): Promise<unknown> {
      const body = await waitUntil(async () =>
        receiver.requests.map((r) => JSON.parse(r.body) as { id: string; data: unknown }).find((b) => b.id === eventId),
      );
      return body.data;
    }

    it('delivers, shapes, holds or filters out each endpoint by its saved configuration', async () => {
      const token = adminToken({ tenantId: newTenantId() });
      const [filtered, reduced, both, plain, disabled] = [
        await receivingEndpoint(token),
        await receivingEndpoint(token),
        await receivingEndpoint(token),
        await receivingEndpoint(token),
        await receivingEndpoint(token),
      ];
      dataOf(await save(token, filtered.id, { eventType: 'order.created', filter: EXAMPLE }));
      dataOf(
        await save(token, reduced.id, {
          eventType: 'order.created',
          reducer: { id: '$.order.id', skus: '$.order.line_items[*].sku' },
        }),
      );
      const inCanada = { query: '$.order.shipping_address.country', condition: 'v => v === "CA"' };
      dataOf(
        await save(token, both.id, { eventType: 'order.created', filter: inCanada, reducer: { id: '$.order.id' } }),
      );
      // A configuration for another event type does not apply to order.created.
      dataOf(await save(token, plain.id, { eventType: 'order.updated', filter: { query: '$.nothing' } }));
      dataOf(
        await save(token, disabled.id, {
          eventType: 'order.created',
          filter: EXAMPLE,
          reducer: { total: '$.order.total' },
        }),
      );
      expect(dataOf(await gql(t.graphqlUrl, TOGGLE_ENDPOINT, { id: disabled.id }, token)).toggleEndpoint.isActive).toBe(
        false,
      );

      const big = published(150);
      const bigId = await publish(token, big);
      const bigDeliveries = await deliveriesOf(token, bigId);
      expect([...bigDeliveries.keys()].sort()).toEqual([filtered.id, reduced.id, plain.id, disabled.id].sort());
      expect(bigDeliveries.get(disabled.id)).toEqual({ status: 'HELD', data: { total: 150 } });
      expect(await receivedData(filtered.receiver, bigId)).toEqual(big);
      expect(await receivedData(reduced.receiver, bigId)).toEqual({ id: sample.order.id, skus });
      expect(await receivedData(plain.receiver, bigId)).toEqual(big);

      const small = published(80, 'CA');
      const smallId = await publish(token, small);
      expect([...(await deliveriesOf(token, smallId)).keys()].sort()).toEqual([reduced.id, both.id, plain.id].sort());
      expect(await receivedData(both.receiver, smallId)).toEqual({ id: sample.order.id });
      expect(await receivedData(reduced.receiver, smallId)).toEqual({ id: sample.order.id, skus });
      expect(await receivedData(plain.receiver, smallId)).toEqual(small);

      // Filtered out means no delivery at all, so nothing was sent: the receivers got only the events above.
      expect(filtered.receiver.requests.map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([bigId]);
      expect(both.receiver.requests.map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([smallId]);
      expect(disabled.receiver.requests).toHaveLength(0);
    }, 30_000);

    it("applies only the publishing tenant's configurations", async () => {
      const tokenA = adminToken({ tenantId: newTenantId() });
      const tokenB = adminToken({ tenantId: newTenantId() });
      const ofA = await receivingEndpoint(tokenA);
      const ofB = await receivingEndpoint(tokenB);
      dataOf(
        await save(tokenA, ofA.id, { eventType: 'order.created', filter: EXAMPLE, reducer: { id: '$.order.id' } }),
      );

      // B's publish reaches B's endpoint unshaped, and never A's; A's own publish is filtered and shaped.
      const fromB = await publish(tokenB, published(150));
      expect([...(await deliveriesOf(tokenB, fromB)).keys()]).toEqual([ofB.id]);
      expect(await receivedData(ofB.receiver, fromB)).toEqual(published(150));
      const fromA = await publish(tokenA, published(150));
      expect([...(await deliveriesOf(tokenA, fromA)).keys()]).toEqual([ofA.id]);
      expect(await receivedData(ofA.receiver, fromA)).toEqual({ id: sample.order.id });
      expect(ofA.receiver.requests.map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([fromA]);
      expect(ofB.receiver.requests.map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([fromB]);
    }, 30_000);

    it('uses the new configuration right after a save or a delete', async () => {
      const tenantId = newTenantId();
      const token = adminToken({ tenantId });
      const endpoint = await receivingEndpoint(token);
      const deliveredTo = async (): Promise<boolean> => {
        const eventId = await publish(token, published(80));
        const delivered = (await deliveriesOf(token, eventId)).has(endpoint.id);
        if (delivered) expect(await receivedData(endpoint.receiver, eventId)).toEqual(published(80));
        return delivered;
      };
      dataOf(await save(token, endpoint.id, { eventType: 'order.created', filter: EXAMPLE }));
      expect(await deliveredTo()).toBe(false);
      dataOf(
        await save(token, endpoint.id, {
          eventType: 'order.created',
          filter: { query: '$.order.total', condition: 'v => v > 50' },
        }),
      );
      expect(await deliveredTo()).toBe(true);

      // A save by another process: this one was not told, but the newer updatedAt makes it rebuild.
      await ds.query(
        `UPDATE endpoint_filters SET filter = $1::jsonb, updated_at = updated_at + interval '1 second'
          WHERE tenant_id = $2 AND endpoint_id = $3`,
        [JSON.stringify({ query: '$.order.total', condition: 'v => v > 500' }), tenantId, endpoint.id],
      );
      expect(await deliveredTo()).toBe(false);

      expect(
        dataOf(await gql(t.graphqlUrl, DELETE, { endpointId: endpoint.id, eventType: 'order.created' }, token))
          .deleteFilterReducer,
      ).toBe(true);
      expect(await deliveredTo()).toBe(true);
    }, 30_000);
  });

  describe('through publishing', () => {
    let receivers: Receiver[] = [];
    afterEach(async () => {
      await Promise.all(receivers.map((r) => r.close()));
      receivers = [];
    });

    const reducer = {
      orderId: '$.order.id',
      total: '$.order.total',
      skus: '$.order.line_items[*].sku',
      coupon: '$.order.coupon',
      source: 'hookline',
    };
    const sample = findPlatformEventType('order.created')?.samplePayload as {
      order: Record<string, unknown> & { id: string; line_items: { sku: string }[] };
    };
    const payload = (total: number): Record<string, unknown> => ({ ...sample, order: { ...sample.order, total } });
    const reduced = (total: number): Record<string, unknown> => ({
      orderId: sample.order.id,
      total,
      skus: sample.order.line_items.map((i) => i.sku),
      coupon: null,
      source: 'hookline',
    });

    /** A tenant of its own with a filtered and an unfiltered endpoint, each with a real receiver. */
    async function setUp(): Promise<{
      token: string;
      filtered: Receiver;
      unfiltered: Receiver;
      withFilter: { id: string; secret: string };
      without: { id: string };
    }> {
      const token = adminToken({ tenantId: newTenantId() });
      const [filtered, unfiltered] = [await Receiver.start(), await Receiver.start()];
      receivers = [filtered, unfiltered];
      const create = async (url: string): Promise<{ id: string; secret: string }> => {
        const created = dataOf(
          await gql(t.graphqlUrl, CREATE_ENDPOINT, { input: { url, eventTypes: ['order.created'] } }, token),
        ).createEndpoint;
        return { id: created.endpoint.id, secret: created.secret };
      };
      const withFilter = await create(filtered.url);
      const without = await create(unfiltered.url);
      dataOf(await save(token, withFilter.id, { eventType: 'order.created', filter: EXAMPLE, reducer }));
      return { token, filtered, unfiltered, withFilter, without };
    }

    async function publish(token: string, total: number): Promise<string> {
      return dataOf(
        await gql(t.graphqlUrl, PUBLISH, { input: { eventType: 'order.created', payload: payload(total) } }, token),
      ).publishEvent.id as string;
    }

    async function deliveriesOf(
      token: string,
      eventId: string,
    ): Promise<{ endpointId: string; payload: { data: unknown } }[]> {
      const edges = dataOf(await gql(t.graphqlUrl, EVENT_DELIVERIES, { id: eventId }, token)).event.deliveries
        .edges as { node: { endpointId: string; payload: { data: unknown } } }[];
      return edges.map((e) => e.node);
    }

    it('a saved filter creates no delivery for a non-matching event, and the reducer output is the delivery payload data', async () => {
      const { token, withFilter, without } = await setUp();
      const small = await publish(token, 80);
      const large = await publish(token, 150);
      expect((await deliveriesOf(token, small)).map((d) => [d.endpointId, d.payload.data])).toEqual([
        [without.id, payload(80)],
      ]);
      const delivered = await deliveriesOf(token, large);
      expect(delivered.find((d) => d.endpointId === withFilter.id)?.payload.data).toEqual(reduced(150));
      expect(delivered.find((d) => d.endpointId === without.id)?.payload.data).toEqual(payload(150));
    });

    it('the receiver gets exactly the reducer output, and it verifies with standardwebhooks', async () => {
      const { token, filtered, unfiltered, withFilter } = await setUp();
      await publish(token, 80);
      const large = await publish(token, 150);

      // The endpoint without a configuration gets both events, unchanged.
      const plain = await unfiltered.waitFor(2);
      expect(plain.map((r) => (JSON.parse(r.body) as { data: unknown }).data)).toEqual(
        expect.arrayContaining([payload(80), payload(150)]),
      );
      const [received] = await filtered.waitFor(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(filtered.requests).toHaveLength(1);

      const verified = new Webhook(withFilter.secret).verify(received.body, received.headers) as {
        id: string;
        type: string;
        data: Record<string, unknown>;
      };
      expect(verified).toMatchObject({ id: large, type: 'order.created' });
      expect(verified.data).toEqual(reduced(150));
      // Deep equality, not key order: jsonb (the stored reducer and Delivery.payload) keeps its own key order.
      expect((JSON.parse(received.body) as { data: unknown }).data).toStrictEqual(reduced(150));
    }, 30_000);
  });
});
