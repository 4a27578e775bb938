import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { OperationalEventType, TEST_EVENT_TYPE } from '../../../event-types/platform-event-types';
import type { InboundRequest } from '../provider-adapter';
import { GenericAdapter } from './generic.adapter';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const NOW = new Date('2025-03-14T16:00:00Z');
const adapter = new GenericAdapter();

function signed(body: unknown, at: Date = NOW, secret = SECRET, msgId = 'msg_2Lk9xQ'): InboundRequest {
  const raw = JSON.stringify(body);
  return {
    rawBody: Buffer.from(raw),
    headers: {
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(msgId, at, raw),
    },
  };
}

const orderUpdated = {
  type: 'order.updated',
  channels: ['shop:42'],
  data: { order: { id: 'o_1', status: 'shipped' } },
};

describe('GenericAdapter.verify', () => {
  it('accepts a signature made by the standardwebhooks package, within the tolerance', () => {
    expect(adapter.verify(signed(orderUpdated), { webhookSecret: SECRET }, NOW)).toEqual({ ok: true });
    const fourMinutesAgo = new Date(NOW.getTime() - 4 * 60_000);
    expect(adapter.verify(signed(orderUpdated, fourMinutesAgo), { webhookSecret: SECRET }, NOW)).toEqual({ ok: true });
  });

  it('accepts when any of several space-separated signatures matches', () => {
    const req = signed(orderUpdated);
    const other = signed(orderUpdated, NOW, `whsec_${randomBytes(32).toString('base64')}`).headers['webhook-signature'];
    const headers = { ...req.headers, 'webhook-signature': `${other} ${req.headers['webhook-signature']}` };
    expect(adapter.verify({ ...req, headers }, { webhookSecret: SECRET }, NOW)).toEqual({ ok: true });
  });

  it('refuses an old or future timestamp', () => {
    const old = new Date(NOW.getTime() - 6 * 60_000);
    expect(adapter.verify(signed(orderUpdated, old), { webhookSecret: SECRET }, NOW)).toEqual({
      ok: false,
      reason: 'webhook-timestamp is too old',
    });
    const future = new Date(NOW.getTime() + 6 * 60_000);
    expect(adapter.verify(signed(orderUpdated, future), { webhookSecret: SECRET }, NOW)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('future'),
    });
  });

  it('refuses a bad signature, a tampered body, a changed id and missing headers', () => {
    const otherSecret = `whsec_${randomBytes(32).toString('base64')}`;
    expect(adapter.verify(signed(orderUpdated, NOW, otherSecret), { webhookSecret: SECRET }, NOW)).toEqual({
      ok: false,
      reason: 'no v1 signature matches',
    });
    const req = signed(orderUpdated);
    expect(
      adapter.verify(
        { ...req, rawBody: Buffer.from(JSON.stringify({ ...orderUpdated, channels: ['shop:43'] })) },
        { webhookSecret: SECRET },
        NOW,
      ),
    ).toMatchObject({ ok: false });
    expect(
      adapter.verify(
        { ...req, headers: { ...req.headers, 'webhook-id': 'msg_other' } },
        { webhookSecret: SECRET },
        NOW,
      ),
    ).toMatchObject({ ok: false });
    expect(
      adapter.verify(
        { ...req, headers: { ...req.headers, 'webhook-signature': 'v1,garbage' } },
        { webhookSecret: SECRET },
        NOW,
      ),
    ).toMatchObject({ ok: false });
    expect(adapter.verify({ rawBody: req.rawBody, headers: {} }, { webhookSecret: SECRET }, NOW)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('missing'),
    });
    expect(adapter.verify(req, {}, NOW)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no webhook secret'),
    });
  });
});

describe('GenericAdapter extract and normalise', () => {
  it('takes the event code from body.type and the external id from webhook-id', () => {
    expect(adapter.extract(signed(orderUpdated), orderUpdated)).toEqual({
      eventCode: 'order.updated',
      externalId: 'msg_2Lk9xQ',
    });
    expect(adapter.extract({ rawBody: Buffer.from('{}'), headers: {} }, {})).toEqual({
      eventCode: 'unknown',
      externalId: null,
    });
  });

  it('publishes a catalog type with data as payload and the given channels', () => {
    expect(adapter.normalise('order.updated', { ...orderUpdated, ordering_key: 'order:o_1' })).toEqual({
      kind: 'publish',
      events: [
        { eventType: 'order.updated', payload: orderUpdated.data, channels: ['shop:42'], orderingKey: 'order:o_1' },
      ],
    });
    const bare = { type: TEST_EVENT_TYPE, message: 'hi' };
    expect(adapter.normalise(TEST_EVENT_TYPE, bare)).toEqual({
      kind: 'publish',
      events: [{ eventType: TEST_EVENT_TYPE, payload: bare, channels: [] }],
    });
  });

  it('skips types outside the catalog and operational types', () => {
    expect(adapter.normalise('invoice.paid', { type: 'invoice.paid' })).toEqual({
      kind: 'skip',
      reason: '"invoice.paid" is not a catalog event type',
    });
    const disabled = OperationalEventType.EndpointDisabled;
    expect(adapter.normalise(disabled, { type: disabled })).toMatchObject({
      kind: 'skip',
      reason: expect.stringContaining('operational'),
    });
    expect(adapter.eventCodes().map((c) => c.code)).not.toContain(disabled);
  });

  it('throws on malformed data or channels', () => {
    expect(() => adapter.normalise('order.updated', { type: 'order.updated', data: 'x' })).toThrow(
      'body.data must be a JSON object',
    );
    expect(() => adapter.normalise('order.updated', { type: 'order.updated', data: {}, channels: 'shop:1' })).toThrow(
      'body.channels',
    );
  });
});
