import { findPlatformEventType } from '../../src/event-types/catalog/platform-catalog';
import { dataOf, GqlResponse, gql } from '../support/graphql-client';
import { AppProcess, startAppProcess } from '../support/processes';
import { adminToken, newTenantId } from '../support/tokens';

const CREATE_TYPE = `mutation($input: CreateEventTypeInput!) { createEventType(input: $input) { name } }`;
const UPDATE_TYPE = `mutation($name: String!, $input: UpdateEventTypeInput!) { updateEventType(name: $name, input: $input) { name } }`;
const ARCHIVE = `mutation($name: String!) { archiveEventType(name: $name) { archived } }`;
const PUBLISH = `mutation($input: PublishEventInput!) { publishEvent(input: $input) { id eventType } }`;
const EVENT = `query($id: ID!) { event(id: $id) { id eventType payload } }`;

function extensionsOf(res: GqlResponse<unknown>): Record<string, unknown> {
  expect(res.errors).toHaveLength(1);
  return res.errors?.[0]?.extensions ?? {};
}

/**
 * Two api processes share Postgres and Redis, each with its own in-memory copy of a tenant's catalog: a change made
 * through one is seen at once by the other (the Redis pub/sub drops the copy), with no wait in between.
 */
describe('tenant event types across two api processes', () => {
  let first: AppProcess;
  let second: AppProcess;
  const tenantId = newTenantId();
  const token = adminToken({ tenantId });
  const through = (api: AppProcess, query: string, variables: Record<string, unknown>) =>
    gql(`${api.url}/graphql`, query, variables, token);
  const publish = (api: AppProcess, eventType: string, payload: unknown) =>
    through(api, PUBLISH, { input: { eventType, payload } });

  beforeAll(async () => {
    [first, second] = await Promise.all([startAppProcess('api'), startAppProcess('api')]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([first?.kill(), second?.kill()]);
  });

  it('a type created through one process is publishable at once through the other, and its changes follow', async () => {
    // Positive control: both processes publish a built-in type for this tenant.
    dataOf(await publish(second, 'order.created', findPlatformEventType('order.created')?.samplePayload));
    // The second process caches the tenant's catalog without comment.created.
    expect(extensionsOf(await publish(second, 'comment.created', { text: 'hi' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reasonCode: 'UNKNOWN_EVENT_TYPE',
    });

    const schema = { type: 'object', required: ['text'], properties: { text: { type: 'string' } } };
    dataOf(await through(first, CREATE_TYPE, { input: { name: 'comment.created', description: 'A comment', schema } }));
    const event = dataOf(await publish(second, 'comment.created', { text: 'hi' })).publishEvent;
    expect(event.eventType).toBe('comment.created');
    const stored = dataOf(await through(first, EVENT, { id: event.id })).event;
    expect(stored).toEqual({ id: event.id, eventType: 'comment.created', payload: { text: 'hi' } });

    // The second process now holds comment.created; a schema change through the first applies there at once.
    const v2 = { ...schema, required: ['text', 'n'], properties: { ...schema.properties, n: { type: 'integer' } } };
    dataOf(
      await through(first, UPDATE_TYPE, {
        name: 'comment.created',
        input: { schema: v2, samplePayload: { text: 'a', n: 1 } },
      }),
    );
    expect(extensionsOf(await publish(second, 'comment.created', { text: 'hi' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'payload.n',
      reasonCode: 'PAYLOAD_SCHEMA_MISMATCH',
    });
    dataOf(await publish(second, 'comment.created', { text: 'hi', n: 2 }));

    dataOf(await through(first, ARCHIVE, { name: 'comment.created' }));
    expect(extensionsOf(await publish(second, 'comment.created', { text: 'hi', n: 3 }))).toMatchObject({
      code: 'UNPROCESSABLE',
      reason: 'EVENT_TYPE_ARCHIVED',
    });
    // And the other way round: the first process saw its own changes without waiting for Redis.
    expect(extensionsOf(await publish(first, 'comment.created', { text: 'hi', n: 3 })).reason).toBe(
      'EVENT_TYPE_ARCHIVED',
    );
  }, 60_000);
});
