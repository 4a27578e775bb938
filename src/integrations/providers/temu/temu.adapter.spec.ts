import { createHmac } from 'node:crypto';
import { findPlatformEventType } from '../../../event-types/catalog/platform-catalog';
import { PayloadValidator } from '../../../event-types/payload-validator';
import type { InboundRequest, NormaliseResult, NormalisedEvent } from '../provider-adapter';
import {
  TemuAdapter,
  decryptTemuEventData,
  encryptTemuEventData,
  temuPushSignature,
  temuPushSignatureBases,
} from './temu.adapter';

const APP_SECRET = '4f1c9a7e2b6d8035e1a94c7b2d60f8a3c5e7b913';
const adapter = new TemuAdapter();
const validator = new PayloadValidator();
function expectValid(event: NormalisedEvent | undefined): void {
  const type = findPlatformEventType(event!.eventType);
  expect(type).toBeDefined();
  expect(() => validator.validate(type!, event!.payload)).not.toThrow();
}
const secrets = { credentials: { appKey: 'app-key-123', appSecret: APP_SECRET } };

function push(data: unknown, eventCode = 'bg_order_status_change_event', secret = APP_SECRET): InboundRequest {
  const plain = JSON.stringify(data);
  const headers: Record<string, string> = {
    'x-tm-app-key': 'app-key-123',
    'x-tm-event-code': eventCode,
    'x-tm-timestamp': '1741968131000',
    'x-tm-ext-param': '{}',
  };
  headers['x-tm-signature'] = temuPushSignature(headers, plain, secret);
  return { rawBody: Buffer.from(JSON.stringify({ eventData: encryptTemuEventData(plain, secret) })), headers };
}

function events(result: NormaliseResult): NormalisedEvent[] {
  if (result.kind !== 'publish') throw new Error(`expected publish, got skip: ${result.reason}`);
  return result.events;
}

const statusNotice = {
  mallId: 634418212233,
  parentOrderSn: 'PO-211-01234567890123',
  orderSn: '211-01234567890456',
  orderStatus: 2,
  updateTime: 1741968130000,
};

describe('Temu push signature and encryption', () => {
  it("reproduces the worked example of Temu's webhook guide", () => {
    const headers = {
      'x-tm-app-key': 'demo-test-app',
      'x-tm-event-code': 'bg_test_event',
      'x-tm-timestamp': '1726127013525',
      'x-tm-ext-param': '{}',
    };
    const eventData = '{"orderSn":"XXYYZZ","status":1}';
    expect(decryptTemuEventData('sQmNTAKR2o4HrmCO3OchFgGyJU5Qta57+JQxxgVyVPU=', '12345678abcdefgh')).toBe(eventData);
    expect(temuPushSignatureBases(headers, eventData)[0]).toBe(
      'eventData{"orderSn":"XXYYZZ","status":1}x-tm-app-keydemo-test-appx-tm-event-codebg_test_eventx-tm-ext-param{}x-tm-timestamp1726127013525',
    );
    expect(temuPushSignature(headers, eventData, '12345678abcdefgh')).toBe(
      'B5143D1A831453AFBCF76D4621BAA74A2DC07A486F26F5A956C6E50C61A338FB',
    );
  });
});

describe('TemuAdapter.verify', () => {
  it('accepts a signed push, with the secret in credentials or as the webhook secret', () => {
    expect(adapter.verify(push(statusNotice), secrets)).toEqual({ ok: true });
    expect(adapter.verify(push(statusNotice), { webhookSecret: APP_SECRET })).toEqual({ ok: true });
  });

  it("accepts the key=value& form of Temu's Java sample", () => {
    const req = push(statusNotice);
    const [, javaBase] = temuPushSignatureBases(req.headers, JSON.stringify(statusNotice));
    const headers = {
      ...req.headers,
      'x-tm-signature': createHmac('sha256', APP_SECRET).update(javaBase!).digest('hex'),
    };
    expect(adapter.verify({ ...req, headers }, secrets)).toEqual({ ok: true });
  });

  it('refuses a wrong secret, a tampered header, another app key and a missing signature', () => {
    expect(
      adapter.verify(push(statusNotice), { credentials: { appSecret: 'ffffffffffffffffffffffffffffffffffffffff' } }),
    ).toMatchObject({ ok: false });
    const req = push(statusNotice);
    expect(
      adapter.verify(
        { ...req, headers: { ...req.headers, 'x-tm-event-code': 'bg_aftersales_status_change' } },
        secrets,
      ),
    ).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
    expect(adapter.verify(req, { credentials: { appKey: 'someone-else', appSecret: APP_SECRET } })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('app key'),
    });
    expect(adapter.verify({ rawBody: req.rawBody, headers: {} }, secrets)).toEqual({
      ok: false,
      reason: 'missing x-tm-signature header',
    });
    expect(adapter.verify(req, {})).toMatchObject({ ok: false, reason: expect.stringContaining('no Temu app secret') });
  });

  it('refuses a push whose eventData was replaced', () => {
    const req = push(statusNotice);
    const forged = Buffer.from(
      JSON.stringify({
        eventData: encryptTemuEventData(JSON.stringify({ ...statusNotice, orderStatus: 3 }), APP_SECRET),
      }),
    );
    expect(adapter.verify({ ...req, rawBody: forged }, secrets)).toEqual({
      ok: false,
      reason: 'signature does not match',
    });
  });

  it('accepts the relay form: X-Temu-Signature over the raw body, hex or base64', () => {
    const rawBody = Buffer.from(
      JSON.stringify({ type: 'bg_order_status_change_event', message_id: 'm-1', mall_id: 1, data: statusNotice }),
    );
    for (const encoding of ['hex', 'base64'] as const) {
      const signature = createHmac('sha256', APP_SECRET).update(rawBody).digest(encoding);
      expect(adapter.verify({ rawBody, headers: { 'x-temu-signature': signature } }, secrets)).toEqual({ ok: true });
    }
    const wrong = createHmac('sha256', 'nope').update(rawBody).digest('hex');
    expect(adapter.verify({ rawBody, headers: { 'x-temu-signature': wrong } }, secrets)).toMatchObject({ ok: false });
  });
});

describe('TemuAdapter decode, extract and normalise', () => {
  it('decodes a push into an envelope with a stable message id', () => {
    const req = push(statusNotice);
    const body = adapter.decodeBody(req, secrets);
    expect(body).toMatchObject({
      type: 'bg_order_status_change_event',
      mall_id: 634418212233,
      timestamp: 1741968131000,
      data: statusNotice,
    });
    const fromRaw = adapter.extract(req, JSON.parse(req.rawBody.toString()));
    const fromDecoded = adapter.extract(req, body);
    expect(fromRaw.eventCode).toBe('bg_order_status_change_event');
    expect(fromRaw.externalId).toMatch(/^[0-9a-f]{64}$/);
    expect(fromDecoded.externalId).toBe(fromRaw.externalId);
    const retry = push(statusNotice);
    expect(adapter.extract(retry, JSON.parse(retry.rawBody.toString())).externalId).toBe(fromRaw.externalId);
    const next = push({ ...statusNotice, orderStatus: 4 });
    expect(adapter.extract(next, JSON.parse(next.rawBody.toString())).externalId).not.toBe(fromRaw.externalId);
  });

  it('uses the envelope type and message_id of the relay form', () => {
    const req = { rawBody: Buffer.from('{}'), headers: {} };
    expect(adapter.extract(req, { type: 'bg_order_status_change_event', message_id: 'msg-77' })).toEqual({
      eventCode: 'bg_order_status_change_event',
      externalId: 'msg-77',
    });
  });

  it('turns an order status change into a valid order.updated on the mall channel', () => {
    const body = adapter.decodeBody(push(statusNotice), secrets);
    const [event] = events(adapter.normalise('bg_order_status_change_event', body));
    expect(event).toEqual({
      eventType: 'order.updated',
      channels: ['shop:634418212233'],
      orderingKey: 'order:PO-211-01234567890123',
      payload: {
        shop_id: '634418212233',
        order: {
          id: 'PO-211-01234567890123',
          status: 'processing',
          provider_status: '2',
          suborder_id: '211-01234567890456',
          updated_at: new Date(1741968130000).toISOString(),
        },
      },
    });
    expectValid(event);
  });

  it('publishes order.cancelled for status 3 (snake_case relay body)', () => {
    const body = {
      type: 'bg_order_status_change_event',
      message_id: 'm-2',
      mall_id: 1001,
      data: { parent_order_sn: 'PO-211-9', order_status: 3 },
    };
    const [event] = events(adapter.normalise('bg_order_status_change_event', body));
    expect(event).toMatchObject({
      eventType: 'order.cancelled',
      channels: ['shop:1001'],
      payload: { order: { id: 'PO-211-9', status: 'cancelled' } },
    });
    expectValid(event);
  });

  it('skips unknown and unmapped codes', () => {
    expect(adapter.normalise('bg_goods_teleported', {})).toEqual({
      kind: 'skip',
      reason: 'unknown Temu event "bg_goods_teleported"',
    });
    expect(adapter.normalise('bg_open_event_test', {})).toEqual({ kind: 'skip', reason: 'Temu test event' });
    expect(adapter.normalise('bg_aftersales_status_change', {})).toMatchObject({ kind: 'skip' });
  });

  it('throws a clear error on a malformed or still encrypted body', () => {
    expect(() => adapter.normalise('bg_order_status_change_event', { data: { parentOrderSn: 'PO-1' } })).toThrow(
      /body\.data\.orderStatus .*is required/,
    );
    expect(() => adapter.normalise('bg_order_status_change_event', { eventData: 'abc' })).toThrow('decodeBody');
  });

  it('lists its codes and the headers to redact', () => {
    expect(adapter.eventCodes().map((c) => c.code)).toContain('bg_order_status_change_event');
    expect(adapter.signatureHeaderNames()).toEqual(['x-tm-signature', 'x-temu-signature']);
  });
});
