import { createHmac } from 'node:crypto';
import { findPlatformEventType } from '../../../event-types/catalog/platform-catalog';
import { PayloadValidator } from '../../../event-types/payload-validator';
import type { InboundRequest, NormaliseResult, NormalisedEvent } from '../provider-adapter';
import { FaireAdapter } from './faire.adapter';

const SECRET = 'faire-webhook-secret-9f8e7d';
const adapter = new FaireAdapter();
const validator = new PayloadValidator();

const faireOrder = {
  id: 'bo_9x7k2m1q4z',
  display_id: 'WZ8XQ2NJ',
  state: 'NEW',
  brand_id: 'b_4kd82mf0ps',
  retailer_id: 'r_7hq2k1vd3a',
  created_at: '2025-03-14T16:02:11.000Z',
  updated_at: '2025-03-14T16:02:11.000Z',
  items: [
    {
      id: 'oi_1a2b3c',
      product_id: 'p_mug12oz',
      product_option_id: 'po_mug12oz_blue',
      sku: 'MUG-CER-12OZ-BLU',
      product_name: 'Ceramic mug 12 oz',
      quantity: 12,
      price: { amount_minor: 1200, currency: 'USD' },
    },
    {
      id: 'oi_4d5e6f',
      product_id: 'p_teatin',
      product_option_id: 'po_teatin_std',
      sku: 'TEA-TIN-STD',
      product_name: 'Tea tin',
      quantity: 6,
      price: { amount_minor: 850, currency: 'USD' },
    },
    {
      id: 'oi_7g8h9i',
      product_id: 'p_coaster',
      product_option_id: 'po_coaster_set4',
      product_name: 'Cork coasters',
      quantity: 24,
      price_cents: 325,
    },
  ],
  address: {
    name: 'Jordan Ellis',
    company_name: 'Wildflower General Store',
    address1: '118 Main St',
    address2: null,
    city: 'Hudson',
    state: 'New York',
    state_code: 'NY',
    postal_code: '12534',
    country: 'United States',
    country_code: 'USA',
    phone_number: '+1 518 555 0199',
  },
  shipments: [],
};

function signed(
  body: unknown,
  headers: Record<string, string> = {},
  encoding: 'base64' | 'hex' = 'base64',
): InboundRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  const signature = createHmac('sha256', SECRET).update(rawBody).digest(encoding);
  return { rawBody, headers: { 'x-faire-hmac-sha256': signature, ...headers } };
}

function events(result: NormaliseResult): NormalisedEvent[] {
  if (result.kind !== 'publish') throw new Error(`expected publish, got skip: ${result.reason}`);
  return result.events;
}

function expectValid(event: NormalisedEvent): void {
  const type = findPlatformEventType(event.eventType);
  expect(type).toBeDefined();
  expect(() => validator.validate(type!, event.payload)).not.toThrow();
}

describe('FaireAdapter.verify', () => {
  it('accepts a base64 and a hex signature of the raw body', () => {
    expect(adapter.verify(signed(faireOrder), { webhookSecret: SECRET })).toEqual({ ok: true });
    expect(adapter.verify(signed(faireOrder, {}, 'hex'), { webhookSecret: SECRET })).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    const req = signed(faireOrder);
    const tampered = {
      ...req,
      rawBody: Buffer.from(req.rawBody.toString().replace('"quantity":12', '"quantity":120')),
    };
    expect(adapter.verify(tampered, { webhookSecret: SECRET })).toEqual({
      ok: false,
      reason: 'signature does not match the body',
    });
  });

  it('refuses a wrong secret, a missing header, a garbage header and a missing secret', () => {
    expect(adapter.verify(signed(faireOrder), { webhookSecret: 'another-secret' })).toMatchObject({ ok: false });
    const { rawBody } = signed(faireOrder);
    expect(adapter.verify({ rawBody, headers: {} }, { webhookSecret: SECRET })).toEqual({
      ok: false,
      reason: 'missing X-Faire-Hmac-SHA256 header',
    });
    expect(
      adapter.verify({ rawBody, headers: { 'x-faire-hmac-sha256': 'not-a-digest' } }, { webhookSecret: SECRET }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a base64 or hex'),
    });
    expect(adapter.verify(signed(faireOrder), { webhookSecret: null })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no webhook secret'),
    });
  });
});

describe('FaireAdapter.extract', () => {
  it('takes the topic from the header and the id from X-Faire-Webhook-Id', () => {
    const req = signed(faireOrder, { 'x-faire-webhook-topic': 'ORDER_CREATED', 'x-faire-webhook-id': 'wh_evt_123' });
    expect(adapter.extract(req, faireOrder)).toEqual({ eventCode: 'ORDER_CREATED', externalId: 'wh_evt_123' });
  });

  it('takes the topic from the older X-Faire-Topic when X-Faire-Webhook-Topic is absent or empty', () => {
    const legacy = signed(faireOrder, { 'x-faire-topic': 'ORDER_UPDATED', 'x-faire-webhook-id': 'wh_2' });
    expect(adapter.extract(legacy, faireOrder)).toEqual({ eventCode: 'ORDER_UPDATED', externalId: 'wh_2' });
    const both = signed(faireOrder, { 'x-faire-webhook-topic': 'ORDER_CREATED', 'x-faire-topic': 'ORDER_UPDATED' });
    expect(adapter.extract(both, faireOrder).eventCode).toBe('ORDER_CREATED');
    const empty = signed(faireOrder, { 'x-faire-webhook-topic': ' ', 'x-faire-topic': 'ORDER_FULFILLED' });
    expect(adapter.extract(empty, faireOrder).eventCode).toBe('ORDER_FULFILLED');
  });

  it('falls back to body event_id, then topic + id + updated_at', () => {
    const req = signed(faireOrder, { 'x-faire-webhook-topic': 'ORDER_UPDATED' });
    expect(adapter.extract(req, { ...faireOrder, event_id: 'evt_9' }).externalId).toBe('evt_9');
    expect(adapter.extract(req, faireOrder).externalId).toBe('ORDER_UPDATED:bo_9x7k2m1q4z:2025-03-14T16:02:11.000Z');
    expect(adapter.extract({ rawBody: Buffer.from('[]'), headers: {} }, [])).toEqual({
      eventCode: 'unknown',
      externalId: null,
    });
  });
});

describe('FaireAdapter.normalise', () => {
  it('turns ORDER_CREATED into a valid order.created on the brand channel, ordered by order', () => {
    const [event] = events(adapter.normalise('ORDER_CREATED', faireOrder));
    expect(event).toMatchObject({
      eventType: 'order.created',
      channels: ['shop:b_4kd82mf0ps'],
      orderingKey: 'order:bo_9x7k2m1q4z',
    });
    expect(event!.payload).toMatchObject({
      shop_id: 'b_4kd82mf0ps',
      order: {
        id: 'bo_9x7k2m1q4z',
        number: 'WZ8XQ2NJ',
        status: 'pending',
        provider_status: 'NEW',
        currency: 'USD',
        subtotal: 273,
        total: 273,
        line_items: [
          { sku: 'MUG-CER-12OZ-BLU', quantity: 12, unit_price: 12, total: 144 },
          { sku: 'TEA-TIN-STD', quantity: 6, unit_price: 8.5, total: 51 },
          { sku: 'po_coaster_set4', quantity: 24, unit_price: 3.25, total: 78 },
        ],
        shipping_address: { company: 'Wildflower General Store', region: 'NY', country: 'USA' },
      },
    });
    expectValid(event!);
  });

  it('unwraps an { order } envelope and maps the other order topics', () => {
    const envelope = {
      id: 'evt_1',
      brand_id: 'b_4kd82mf0ps',
      order: { ...faireOrder, brand_id: undefined, state: 'IN_TRANSIT' },
    };
    for (const [topic, eventType, status] of [
      ['ORDER_UPDATED', 'order.updated', 'shipped'],
      ['ORDER_CANCELED', 'order.cancelled', 'cancelled'],
      ['ORDER_FULFILLED', 'order.fulfilled', 'shipped'],
    ] as const) {
      const [event] = events(adapter.normalise(topic, envelope));
      expect(event).toMatchObject({
        eventType,
        channels: ['shop:b_4kd82mf0ps'],
        payload: { order: { id: 'bo_9x7k2m1q4z', status } },
      });
      expectValid(event!);
    }
  });

  it('turns PRODUCT_CREATED / PRODUCT_UPDATED into valid product events', () => {
    const product = {
      id: 'p_mug12oz',
      brand_id: 'b_4kd82mf0ps',
      name: 'Ceramic mug 12 oz',
      description: 'Stoneware, dishwasher safe',
      lifecycle_state: 'PUBLISHED',
      options: [
        {
          id: 'po_mug12oz_blue',
          sku: 'MUG-CER-12OZ-BLU',
          name: 'Blue',
          wholesale_price: { amount_minor: 1200, currency: 'USD' },
          available_quantity: 140,
        },
        { id: 'po_mug12oz_sand', name: 'Sand', wholesale_price_cents: 1200, available_quantity: 0 },
      ],
      updated_at: '2025-03-18T12:00:00.000Z',
    };
    for (const [topic, eventType] of [
      ['PRODUCT_CREATED', 'product.created'],
      ['PRODUCT_UPDATED', 'product.updated'],
    ] as const) {
      const [event] = events(adapter.normalise(topic, product));
      expect(event).toMatchObject({ eventType, channels: ['shop:b_4kd82mf0ps'], orderingKey: 'product:p_mug12oz' });
      expect(event!.payload).toMatchObject({
        product: {
          id: 'p_mug12oz',
          title: 'Ceramic mug 12 oz',
          status: 'published',
          variants: [{ sku: 'MUG-CER-12OZ-BLU', price: 12 }, { sku: 'po_mug12oz_sand' }],
        },
      });
      expectValid(event!);
    }
  });

  it('turns INVENTORY_UPDATED into one valid inventory.updated per SKU', () => {
    const body = {
      brand_id: 'b_4kd82mf0ps',
      updated_at: '2025-03-14T16:05:00.000Z',
      inventories: [
        { sku: 'MUG-CER-12OZ-BLU', product_option_id: 'po_mug12oz_blue', current_quantity: 128 },
        { product_option_id: 'po_coaster_set4', current_quantity: 0 },
      ],
    };
    const result = events(adapter.normalise('INVENTORY_UPDATED', body));
    expect(result.map((e) => e.payload)).toEqual([
      {
        shop_id: 'b_4kd82mf0ps',
        inventory: {
          sku: 'MUG-CER-12OZ-BLU',
          available: 128,
          variant_id: 'po_mug12oz_blue',
          updated_at: '2025-03-14T16:05:00.000Z',
        },
      },
      {
        shop_id: 'b_4kd82mf0ps',
        inventory: {
          sku: 'po_coaster_set4',
          available: 0,
          variant_id: 'po_coaster_set4',
          updated_at: '2025-03-14T16:05:00.000Z',
        },
      },
    ]);
    result.forEach(expectValid);
    const [single] = events(
      adapter.normalise('INVENTORY_QUANTITY_UPDATED', { sku: 'TEA-TIN-STD', available_quantity: 7 }),
    );
    expect(single).toMatchObject({
      eventType: 'inventory.updated',
      channels: [],
      payload: { inventory: { sku: 'TEA-TIN-STD', available: 7 } },
    });
    expectValid(single!);
  });

  it('skips an unknown topic', () => {
    expect(adapter.normalise('RETAILER_SIGNED_UP', {})).toEqual({
      kind: 'skip',
      reason: 'unknown Faire topic "RETAILER_SIGNED_UP"',
    });
  });

  it('throws a clear error on a malformed payload of a known topic', () => {
    expect(() => adapter.normalise('ORDER_CREATED', { ...faireOrder, items: 'none' })).toThrow(
      'Faire ORDER_CREATED: body.items must be an array',
    );
    expect(() => adapter.normalise('ORDER_CREATED', { ...faireOrder, id: undefined })).toThrow(
      /body\.id .*is required/,
    );
    const badQuantity = { ...faireOrder, items: [{ ...faireOrder.items[0], quantity: 1.5 }] };
    expect(() => adapter.normalise('ORDER_CREATED', badQuantity)).toThrow('body.items[0].quantity must be an integer');
  });

  it('lists its topics and the headers to redact', () => {
    expect(adapter.eventCodes().map((c) => c.code)).toEqual(
      expect.arrayContaining(['ORDER_CREATED', 'PRODUCT_UPDATED', 'INVENTORY_UPDATED']),
    );
    expect(adapter.signatureHeaderNames()).toContain('x-faire-hmac-sha256');
  });
});

describe('FaireAdapter.normalise: envelopes', () => {
  const { brand_id: _brand, ...order } = faireOrder;
  const product = {
    id: 'p_mug12oz',
    name: 'Ceramic mug 12 oz',
    options: [{ id: 'po_mug12oz_blue', sku: 'MUG-CER-12OZ-BLU', wholesale_price_cents: 1200 }],
  };
  const inventories = [{ sku: 'MUG-CER-12OZ-BLU', current_quantity: 128 }];
  const brand = { brand_id: 'b_4kd82mf0ps' };
  const expected = {
    order: { id: 'bo_9x7k2m1q4z', number: 'WZ8XQ2NJ', subtotal: 273 },
    product: { id: 'p_mug12oz', title: 'Ceramic mug 12 oz', variants: [{ sku: 'MUG-CER-12OZ-BLU', price: 12 }] },
  };

  it.each([
    ['bare', { ...order, ...brand }],
    ['under order', { ...brand, order }],
    ['under data', { ...brand, data: order }],
    ['under data.order', { ...brand, data: { order } }],
    ['under data.order, brand inside data', { event_id: 'e_1', data: { ...brand, order } }],
    ['under data.order, brand on the order', { data: { order: { ...order, ...brand } } }],
  ])('normalises an order %s to the same order.created', (_shape, body) => {
    const [event] = events(adapter.normalise('ORDER_CREATED', body));
    expect(event).toMatchObject({
      eventType: 'order.created',
      channels: ['shop:b_4kd82mf0ps'],
      orderingKey: 'order:bo_9x7k2m1q4z',
      payload: { shop_id: 'b_4kd82mf0ps', order: expected.order },
    });
    expectValid(event!);
  });

  it.each([
    ['bare', { ...product, ...brand }],
    ['under product', { ...brand, product }],
    ['under data', { ...brand, data: product }],
    ['under data.product', { ...brand, data: { product } }],
  ])('normalises a product %s to the same product.updated', (_shape, body) => {
    const [event] = events(adapter.normalise('PRODUCT_UPDATED', body));
    expect(event).toMatchObject({
      eventType: 'product.updated',
      channels: ['shop:b_4kd82mf0ps'],
      payload: { shop_id: 'b_4kd82mf0ps', product: expected.product },
    });
    expectValid(event!);
  });

  it.each([
    ['bare list', { ...brand, inventories }],
    ['bare item', { ...brand, ...inventories[0] }],
    ['under data (list)', { ...brand, data: { inventories } }],
    ['under data (item)', { ...brand, data: inventories[0] }],
    ['under inventory', { ...brand, inventory: { items: inventories } }],
    ['under data.inventory', { data: { ...brand, inventory: { inventories } } }],
  ])('normalises inventory %s to the same inventory.updated', (_shape, body) => {
    const [event, ...rest] = events(adapter.normalise('INVENTORY_UPDATED', body));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      eventType: 'inventory.updated',
      channels: ['shop:b_4kd82mf0ps'],
      payload: { shop_id: 'b_4kd82mf0ps', inventory: { sku: 'MUG-CER-12OZ-BLU', available: 128 } },
    });
    expectValid(event!);
  });

  it('fails an unrecognised shape with an error naming the missing field', () => {
    expect(() => adapter.normalise('ORDER_CREATED', { ...brand, payload: { order } })).toThrow(
      'Faire ORDER_CREATED: body.id is required and must be an id',
    );
    expect(() => adapter.normalise('ORDER_CREATED', { data: { order: { ...order, id: undefined } } })).toThrow(
      'Faire ORDER_CREATED: body.data.order.id is required and must be an id',
    );
    expect(() => adapter.normalise('PRODUCT_CREATED', { data: { item: product } })).toThrow(
      'Faire PRODUCT_CREATED: body.data.id is required and must be an id',
    );
    expect(() => adapter.normalise('INVENTORY_UPDATED', { data: { stock: 3 } })).toThrow(
      'Faire INVENTORY_UPDATED: body.data.sku is required (or product_option_id)',
    );
    expect(() => adapter.normalise('ORDER_CREATED', { data: 'order' })).toThrow(
      'Faire ORDER_CREATED: body.data must be an object',
    );
  });
});
