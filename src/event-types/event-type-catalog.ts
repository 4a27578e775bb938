/**
 * The event-type catalog: every type an event can be published as, with its JSON Schema
 * (draft 2020-12, compiled by PayloadValidator) and a sample payload that validates against it.
 *
 * Commerce payloads are snake_case and nest the resource under its name (`order`, `product`...);
 * money is a number in major units (12.5 = 12.50 USD). Schemas require the identifying fields
 * and leave additionalProperties open, so providers can carry extra data.
 * Operational payloads are produced by the platform itself and are camelCase, like the GraphQL API.
 */
export interface EventTypeDefinition {
  name: string;
  description: string;
  /** JSON Schema draft 2020-12 for the event's payload (the `data` of a delivery). */
  schema: Record<string, unknown>;
  samplePayload: Record<string, unknown>;
  archived: boolean;
  /** Published by the platform about its own endpoints and deliveries; never matched by an empty `eventTypes`. */
  operational?: boolean;
}

export const OPERATIONAL_EVENT_TYPES = ['endpoint.failing', 'endpoint.disabled', 'delivery.dead_lettered'] as const;
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

export const TEST_EVENT_TYPE = 'webhook.test';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const nullableStr: Schema = { type: ['string', 'null'] };
const money: Schema = { type: 'number', description: 'amount in major units of the currency' };
const nullableMoney: Schema = { type: ['number', 'null'] };
const currency: Schema = { type: 'string', minLength: 3, maxLength: 3, description: 'ISO 4217 code' };
const timestamp: Schema = { type: 'string', description: 'ISO 8601' };
const count: Schema = { type: 'integer', minimum: 0 };

function object(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required };
}

function arrayOf(items: Schema): Schema {
  return { type: 'array', items };
}

function payloadSchema(title: string, properties: Record<string, Schema>, required: string[]): Schema {
  return { $schema: DRAFT_2020_12, title, ...object(properties, required) };
}

const address = object({
  name: nullableStr,
  company: nullableStr,
  line1: nullableStr,
  line2: nullableStr,
  city: nullableStr,
  region: nullableStr,
  postal_code: nullableStr,
  country: nullableStr,
  phone: nullableStr,
});

const lineItem = object(
  {
    id: str,
    sku: str,
    quantity: count,
    product_id: nullableStr,
    variant_id: nullableStr,
    name: nullableStr,
    unit_price: money,
    total: money,
  },
  ['sku', 'quantity'],
);

const orderCustomer = object({ id: nullableStr, email: nullableStr, name: nullableStr, phone: nullableStr });

const orderProperties: Record<string, Schema> = {
  id: str,
  number: nullableStr,
  status: {
    type: 'string',
    description:
      'normalised: pending, processing, backordered, shipped, delivered, fulfilled, cancelled (provider_status keeps the provider value)',
  },
  provider_status: nullableStr,
  currency,
  subtotal: nullableMoney,
  shipping_total: nullableMoney,
  tax_total: nullableMoney,
  discount_total: nullableMoney,
  total: money,
  line_items: arrayOf(lineItem),
  customer: orderCustomer,
  shipping_address: address,
  billing_address: address,
  created_at: timestamp,
  updated_at: timestamp,
};

const shopId: Schema = { type: 'string', description: 'the shop (store, brand, mall) the event belongs to' };

/** order.created carries the whole order; later order events may be partial notices (Temu sends id + status only). */
function orderSchema(title: string, full: boolean, extra: Record<string, Schema> = {}): Schema {
  const required = full ? ['id', 'status', 'currency', 'total', 'line_items'] : ['id', 'status'];
  return payloadSchema(title, { shop_id: shopId, order: object({ ...orderProperties, ...extra }, required) }, ['order']);
}

const variant = object(
  {
    id: str,
    sku: str,
    title: nullableStr,
    price: nullableMoney,
    compare_at_price: nullableMoney,
    currency,
    inventory_quantity: { type: ['integer', 'null'] },
  },
  ['sku'],
);

function productSchema(title: string): Schema {
  return payloadSchema(
    title,
    {
      shop_id: shopId,
      product: object(
        {
          id: str,
          title: str,
          description: nullableStr,
          status: nullableStr,
          vendor: nullableStr,
          variants: arrayOf(variant),
          created_at: timestamp,
          updated_at: timestamp,
        },
        ['id', 'title'],
      ),
    },
    ['product'],
  );
}

function customerSchema(title: string): Schema {
  return payloadSchema(
    title,
    {
      shop_id: shopId,
      customer: object(
        {
          id: str,
          email: nullableStr,
          first_name: nullableStr,
          last_name: nullableStr,
          phone: nullableStr,
          accepts_marketing: { type: 'boolean' },
          addresses: arrayOf(address),
          created_at: timestamp,
          updated_at: timestamp,
        },
        ['id'],
      ),
    },
    ['customer'],
  );
}

// Platform-generated: the platform controls the values, so formats are safe to enforce here.
const isoDateTime: Schema = { type: 'string', format: 'date-time' };
const nullableIsoDateTime: Schema = { type: ['string', 'null'], format: 'date-time' };
const endpointUrl: Schema = { type: 'string', format: 'uri' };

const sampleOrder = {
  id: 'ord_8f2c1a9e',
  number: '#1042',
  status: 'pending',
  provider_status: 'NEW',
  currency: 'USD',
  subtotal: 84.5,
  shipping_total: 7.95,
  tax_total: 6.76,
  discount_total: 0,
  total: 99.21,
  line_items: [
    { id: 'li_1', sku: 'MUG-CER-12OZ-BLU', quantity: 2, product_id: 'prod_mug', variant_id: 'var_mug_blue', name: 'Ceramic mug 12 oz, blue', unit_price: 24, total: 48 },
    { id: 'li_2', sku: 'TEA-EARLGREY-100G', quantity: 1, product_id: 'prod_tea', variant_id: 'var_tea_100', name: 'Earl Grey loose leaf, 100 g', unit_price: 18.5, total: 18.5 },
    { id: 'li_3', sku: 'COAST-CORK-SET4', quantity: 3, product_id: 'prod_coaster', variant_id: 'var_coaster_4', name: 'Cork coasters, set of 4', unit_price: 6, total: 18 },
  ],
  customer: { id: 'cus_51d0', email: 'maya.lindqvist@example.com', name: 'Maya Lindqvist', phone: '+1 503 555 0142' },
  shipping_address: {
    name: 'Maya Lindqvist',
    company: null,
    line1: '2217 NE Alberta St',
    line2: 'Apt 3',
    city: 'Portland',
    region: 'OR',
    postal_code: '97211',
    country: 'US',
    phone: '+1 503 555 0142',
  },
  billing_address: {
    name: 'Maya Lindqvist',
    company: null,
    line1: '2217 NE Alberta St',
    line2: 'Apt 3',
    city: 'Portland',
    region: 'OR',
    postal_code: '97211',
    country: 'US',
    phone: null,
  },
  created_at: '2025-03-14T16:02:11Z',
  updated_at: '2025-03-14T16:02:11Z',
};

const sampleProduct = {
  id: 'prod_mug',
  title: 'Ceramic mug 12 oz',
  description: 'Stoneware mug, dishwasher safe.',
  status: 'active',
  vendor: 'Fieldhouse Ceramics',
  variants: [
    { id: 'var_mug_blue', sku: 'MUG-CER-12OZ-BLU', title: 'Blue', price: 24, compare_at_price: null, currency: 'USD', inventory_quantity: 38 },
    { id: 'var_mug_sand', sku: 'MUG-CER-12OZ-SND', title: 'Sand', price: 24, compare_at_price: 28, currency: 'USD', inventory_quantity: 0 },
  ],
  created_at: '2025-01-09T10:15:00Z',
  updated_at: '2025-03-14T09:30:00Z',
};

const sampleCustomer = {
  id: 'cus_51d0',
  email: 'maya.lindqvist@example.com',
  first_name: 'Maya',
  last_name: 'Lindqvist',
  phone: '+1 503 555 0142',
  accepts_marketing: true,
  addresses: [sampleOrder.shipping_address],
  created_at: '2024-11-02T18:40:00Z',
  updated_at: '2025-03-14T16:02:11Z',
};

export const EVENT_TYPE_CATALOG: readonly EventTypeDefinition[] = [
  {
    name: 'order.created',
    description: 'An order was placed. Carries the whole order: totals, line items, addresses.',
    schema: orderSchema('order.created', true),
    samplePayload: { shop_id: 'shop_fieldhouse', order: sampleOrder },
    archived: false,
  },
  {
    name: 'order.updated',
    description: 'An order changed (status, items, addresses). Some providers send only the order id and status.',
    schema: orderSchema('order.updated', false),
    samplePayload: { shop_id: 'shop_fieldhouse', order: { ...sampleOrder, status: 'processing', provider_status: 'PROCESSING', updated_at: '2025-03-15T08:20:00Z' } },
    archived: false,
  },
  {
    name: 'order.cancelled',
    description: 'An order was cancelled.',
    schema: orderSchema('order.cancelled', false, { cancel_reason: nullableStr, cancelled_at: timestamp }),
    samplePayload: {
      shop_id: 'shop_fieldhouse',
      order: {
        ...sampleOrder,
        status: 'cancelled',
        provider_status: 'CANCELED',
        cancel_reason: 'customer_request',
        cancelled_at: '2025-03-14T19:45:00Z',
        updated_at: '2025-03-14T19:45:00Z',
      },
    },
    archived: false,
  },
  {
    name: 'order.fulfilled',
    description: 'An order was shipped in full.',
    schema: orderSchema('order.fulfilled', false, {
      fulfillments: arrayOf(
        object({ id: str, carrier: nullableStr, tracking_number: nullableStr, tracking_url: nullableStr, shipped_at: timestamp, line_items: arrayOf(lineItem) }),
      ),
    }),
    samplePayload: {
      shop_id: 'shop_fieldhouse',
      order: {
        ...sampleOrder,
        status: 'fulfilled',
        provider_status: 'IN_TRANSIT',
        updated_at: '2025-03-16T11:00:00Z',
        fulfillments: [
          {
            id: 'ful_77a1',
            carrier: 'USPS',
            tracking_number: '9400111899223856947211',
            tracking_url: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223856947211',
            shipped_at: '2025-03-16T10:58:00Z',
            line_items: sampleOrder.line_items,
          },
        ],
      },
    },
    archived: false,
  },
  {
    name: 'payment.completed',
    description: 'A payment for an order was captured.',
    schema: payloadSchema(
      'payment.completed',
      {
        shop_id: shopId,
        payment: object(
          { id: str, order_id: nullableStr, amount: money, currency, method: nullableStr, status: nullableStr, processed_at: timestamp },
          ['id', 'amount', 'currency'],
        ),
      },
      ['payment'],
    ),
    samplePayload: {
      shop_id: 'shop_fieldhouse',
      payment: { id: 'pay_3Kx91', order_id: 'ord_8f2c1a9e', amount: 99.21, currency: 'USD', method: 'card', status: 'captured', processed_at: '2025-03-14T16:02:14Z' },
    },
    archived: false,
  },
  {
    name: 'payment.refunded',
    description: 'A payment was refunded, in full or in part.',
    schema: payloadSchema(
      'payment.refunded',
      {
        shop_id: shopId,
        refund: object(
          { id: str, payment_id: nullableStr, order_id: nullableStr, amount: money, currency, reason: nullableStr, processed_at: timestamp },
          ['id', 'amount', 'currency'],
        ),
      },
      ['refund'],
    ),
    samplePayload: {
      shop_id: 'shop_fieldhouse',
      refund: { id: 're_0q8Lm', payment_id: 'pay_3Kx91', order_id: 'ord_8f2c1a9e', amount: 18.5, currency: 'USD', reason: 'damaged_item', processed_at: '2025-03-20T13:12:00Z' },
    },
    archived: false,
  },
  {
    name: 'product.created',
    description: 'A product was added to the catalog.',
    schema: productSchema('product.created'),
    samplePayload: { shop_id: 'shop_fieldhouse', product: sampleProduct },
    archived: false,
  },
  {
    name: 'product.updated',
    description: 'A product or one of its variants changed.',
    schema: productSchema('product.updated'),
    samplePayload: { shop_id: 'shop_fieldhouse', product: { ...sampleProduct, title: 'Ceramic mug 12 oz (new glaze)', updated_at: '2025-03-18T12:00:00Z' } },
    archived: false,
  },
  {
    name: 'inventory.updated',
    description: 'The available quantity of one SKU changed.',
    schema: payloadSchema(
      'inventory.updated',
      {
        shop_id: shopId,
        inventory: object(
          {
            sku: str,
            available: { type: 'integer' },
            previous_available: { type: ['integer', 'null'] },
            product_id: nullableStr,
            variant_id: nullableStr,
            location_id: nullableStr,
            updated_at: timestamp,
          },
          ['sku', 'available'],
        ),
      },
      ['inventory'],
    ),
    samplePayload: {
      shop_id: 'shop_fieldhouse',
      inventory: {
        sku: 'MUG-CER-12OZ-BLU',
        available: 36,
        previous_available: 38,
        product_id: 'prod_mug',
        variant_id: 'var_mug_blue',
        location_id: 'loc_portland',
        updated_at: '2025-03-14T16:02:15Z',
      },
    },
    archived: false,
  },
  {
    name: 'customer.created',
    description: 'A customer account was created.',
    schema: customerSchema('customer.created'),
    samplePayload: { shop_id: 'shop_fieldhouse', customer: sampleCustomer },
    archived: false,
  },
  {
    name: 'customer.updated',
    description: 'A customer account changed.',
    schema: customerSchema('customer.updated'),
    samplePayload: { shop_id: 'shop_fieldhouse', customer: { ...sampleCustomer, accepts_marketing: false, updated_at: '2025-03-21T07:30:00Z' } },
    archived: false,
  },
  {
    name: 'shop.updated',
    description: 'Shop settings changed (name, currency, timezone...).',
    schema: payloadSchema(
      'shop.updated',
      {
        shop: object(
          { id: str, name: nullableStr, domain: nullableStr, currency, timezone: nullableStr, country: nullableStr, updated_at: timestamp },
          ['id'],
        ),
      },
      ['shop'],
    ),
    samplePayload: {
      shop: {
        id: 'shop_fieldhouse',
        name: 'Fieldhouse Ceramics',
        domain: 'fieldhouse-ceramics.example.com',
        currency: 'USD',
        timezone: 'America/Los_Angeles',
        country: 'US',
        updated_at: '2025-03-10T09:00:00Z',
      },
    },
    archived: false,
  },
  {
    name: 'endpoint.failing',
    description: 'One of your endpoints has failed with no success for 24 hours; it will be disabled at disableAt.',
    schema: payloadSchema(
      'endpoint.failing',
      {
        endpointId: str,
        url: endpointUrl,
        health: { type: 'string', enum: ['FAILING'] },
        failingSince: isoDateTime,
        disableAt: isoDateTime,
        consecutiveFailures: count,
        lastError: nullableStr,
        lastAttemptAt: nullableIsoDateTime,
      },
      ['endpointId', 'url', 'health', 'disableAt'],
    ),
    samplePayload: {
      endpointId: '3f1c0b9e-5c43-4d39-a7a4-2b1f0f6de901',
      url: 'https://hooks.fieldhouse-ceramics.example.com/orders',
      health: 'FAILING',
      failingSince: '2025-03-13T08:00:00.000Z',
      disableAt: '2025-03-18T08:00:00.000Z',
      consecutiveFailures: 41,
      lastError: 'HTTP 503',
      lastAttemptAt: '2025-03-14T08:05:12.000Z',
    },
    archived: false,
    operational: true,
  },
  {
    name: 'endpoint.disabled',
    description: 'One of your endpoints was disabled: by hand, by a 410 Gone answer, or after failing for 5 days.',
    schema: payloadSchema(
      'endpoint.disabled',
      {
        endpointId: str,
        url: endpointUrl,
        health: { type: 'string', enum: ['DISABLED'] },
        reason: { type: 'string', description: 'MANUAL, GONE or FAILING' },
        disabledAt: isoDateTime,
        lastError: nullableStr,
      },
      ['endpointId', 'url', 'reason', 'disabledAt'],
    ),
    samplePayload: {
      endpointId: '3f1c0b9e-5c43-4d39-a7a4-2b1f0f6de901',
      url: 'https://hooks.fieldhouse-ceramics.example.com/orders',
      health: 'DISABLED',
      reason: 'FAILING',
      disabledAt: '2025-03-18T08:00:03.000Z',
      lastError: 'connect ECONNREFUSED',
    },
    archived: false,
    operational: true,
  },
  {
    name: 'delivery.dead_lettered',
    description: 'A delivery exhausted its retries (or was held too long) and is now DEAD_LETTER; it can be replayed.',
    schema: payloadSchema(
      'delivery.dead_lettered',
      {
        deliveryId: str,
        endpointId: str,
        url: endpointUrl,
        eventId: str,
        eventType: str,
        attempts: count,
        lastError: nullableStr,
        lastResponseStatus: { type: ['integer', 'null'] },
        deadLetteredAt: isoDateTime,
      },
      ['deliveryId', 'endpointId', 'eventId', 'eventType'],
    ),
    samplePayload: {
      deliveryId: 'a8d6e0f4-0b7e-4a51-9d0c-63f5b1c2e7aa',
      endpointId: '3f1c0b9e-5c43-4d39-a7a4-2b1f0f6de901',
      url: 'https://hooks.fieldhouse-ceramics.example.com/orders',
      eventId: 'c2b4a1d0-7f6e-4c3b-9a8d-1e2f3a4b5c6d',
      eventType: 'order.created',
      attempts: 8,
      lastError: 'timeout after 15000 ms',
      lastResponseStatus: null,
      deadLetteredAt: '2025-03-16T02:30:00.000Z',
    },
    archived: false,
    operational: true,
  },
  {
    name: TEST_EVENT_TYPE,
    description: 'A test event sent on demand to check that an endpoint receives and verifies deliveries.',
    schema: payloadSchema('webhook.test', { message: str, sentAt: timestamp }, []),
    samplePayload: { message: 'This is a test event from Hookline.', sentAt: '2025-03-14T16:00:00.000Z' },
    archived: false,
  },
];

const BY_NAME = new Map(EVENT_TYPE_CATALOG.map((definition) => [definition.name, definition]));

export function findEventType(name: string): EventTypeDefinition | undefined {
  return BY_NAME.get(name);
}

export function isOperationalEventType(name: string): name is OperationalEventType {
  return (OPERATIONAL_EVENT_TYPES as readonly string[]).includes(name);
}
