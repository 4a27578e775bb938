/**
 * Faire: one endpoint receives every event; the topic is in `X-Faire-Webhook-Topic` (older senders:
 * `X-Faire-Topic`). Callbacks to `POST /inbound/faire` also carry `X-Faire-Brand-Token`, which finds the integration.
 * Signature: HMAC-SHA256 of the raw body keyed with the integration's webhookSecret, in
 * `X-Faire-Hmac-SHA256`, base64 (hex accepted too).
 *
 * External id (dedupe): header `X-Faire-Webhook-Id`, else body `event_id`, else
 * `<topic>:<body id>[:<updated_at>]` (updated_at keeps distinct updates of one order apart), else null.
 *
 * Payload shapes assumed (Faire's v2 objects; bare, or wrapped as `{ order | product | inventory | data }` or
 * `{ data: { order | product | inventory } }`):
 * - order: `{ id: 'bo_…', display_id, state: NEW|PROCESSING|PRE_TRANSIT|IN_TRANSIT|DELIVERED|BACKORDERED|CANCELED,
 *   brand_id, retailer_id, items: [{ id, sku, product_id, product_option_id, product_name, quantity,
 *   price: { amount_minor, currency } | price_cents }], address: { name, address1, city, state_code, postal_code,
 *   country_code, phone_number, company_name }, shipments?: [...], created_at, updated_at }`
 * - product: `{ id: 'p_…', brand_id, name, description, lifecycle_state, options|variants: [{ id: 'po_…', sku, name,
 *   wholesale_price: { amount_minor, currency } | wholesale_price_cents, available_quantity }] }`
 * - inventory: `{ brand_id, inventories|items: [{ sku, product_option_id, current_quantity|available_quantity }] }`
 *   or a single such item: one inventory.updated event per SKU.
 * Money arrives in minor units; `*_cents` fields are USD. The shop channel comes from `brand_id`.
 */
import { PayloadReader, compact, fromMinorUnits, isRecord, type JsonObject } from '../payload-reader';
import {
  UNKNOWN_EVENT_CODE,
  type InboundRequest,
  type NormaliseResult,
  type NormalisedEvent,
  type ProviderAdapter,
  type ProviderSecrets,
  type VerifyResult,
} from '../provider-adapter';
import { decodeSha256Digest, digestsEqual, hmacSha256 } from '../signature';

export const FAIRE_PROVIDER = 'faire';
export const FAIRE_SIGNATURE_HEADER = 'x-faire-hmac-sha256';
export const FAIRE_TOPIC_HEADER = 'x-faire-webhook-topic';
/** What older senders name the topic header. */
export const FAIRE_LEGACY_TOPIC_HEADER = 'x-faire-topic';
/** Identifies the brand on callbacks to POST /inbound/faire (hashed and looked up by integrations/). */
export const FAIRE_BRAND_TOKEN_HEADER = 'x-faire-brand-token';
export const FAIRE_EVENT_ID_HEADER = 'x-faire-webhook-id';

type Resource = 'order' | 'product' | 'inventory';

interface TopicMapping {
  eventType: string;
  resource: Resource;
  description: string;
}

const TOPICS: Record<string, TopicMapping> = {
  ORDER_CREATED: { eventType: 'order.created', resource: 'order', description: 'A retailer placed an order' },
  ORDER_UPDATED: { eventType: 'order.updated', resource: 'order', description: 'An order changed state or shipments' },
  ORDER_CANCELED: { eventType: 'order.cancelled', resource: 'order', description: 'An order was cancelled' },
  ORDER_FULFILLED: { eventType: 'order.fulfilled', resource: 'order', description: 'An order was shipped' },
  PRODUCT_CREATED: { eventType: 'product.created', resource: 'product', description: 'A product was created' },
  PRODUCT_UPDATED: {
    eventType: 'product.updated',
    resource: 'product',
    description: 'A product or its options changed',
  },
  INVENTORY_UPDATED: { eventType: 'inventory.updated', resource: 'inventory', description: 'Inventory levels changed' },
  INVENTORY_QUANTITY_UPDATED: {
    eventType: 'inventory.updated',
    resource: 'inventory',
    description: 'Option inventory quantity changed',
  },
};

const ORDER_STATUS: Record<string, string> = {
  NEW: 'pending',
  PENDING_RETAILER_CONFIRMATION: 'pending',
  PROCESSING: 'processing',
  PRE_TRANSIT: 'processing',
  BACKORDERED: 'backordered',
  IN_TRANSIT: 'shipped',
  DELIVERED: 'delivered',
  CANCELED: 'cancelled',
};

export class FaireAdapter implements ProviderAdapter {
  readonly provider = FAIRE_PROVIDER;

  verify(req: InboundRequest, secrets: ProviderSecrets): VerifyResult {
    const secret = secrets.webhookSecret;
    if (!secret) return { ok: false, reason: 'no webhook secret is configured for this integration' };
    const header = req.headers[FAIRE_SIGNATURE_HEADER];
    if (!header) return { ok: false, reason: 'missing X-Faire-Hmac-SHA256 header' };
    const given = decodeSha256Digest(header);
    if (!given) return { ok: false, reason: 'X-Faire-Hmac-SHA256 is not a base64 or hex SHA-256 digest' };
    if (!digestsEqual(given, hmacSha256(secret, req.rawBody)))
      return { ok: false, reason: 'signature does not match the body' };
    return { ok: true };
  }

  extract(req: InboundRequest, body: unknown): { eventCode: string; externalId: string | null } {
    const record = isRecord(body) ? body : {};
    const eventCode =
      nonEmpty(req.headers[FAIRE_TOPIC_HEADER]) ??
      nonEmpty(req.headers[FAIRE_LEGACY_TOPIC_HEADER]) ??
      stringField(record, 'topic') ??
      UNKNOWN_EVENT_CODE;
    const headerId = req.headers[FAIRE_EVENT_ID_HEADER];
    if (headerId) return { eventCode, externalId: headerId };
    const eventId = stringField(record, 'event_id');
    if (eventId) return { eventCode, externalId: eventId };
    const id = stringField(record, 'id');
    if (!id) return { eventCode, externalId: null };
    const updatedAt = stringField(record, 'updated_at');
    return { eventCode, externalId: updatedAt ? `${eventCode}:${id}:${updatedAt}` : `${eventCode}:${id}` };
  }

  eventCodes(): { code: string; description: string }[] {
    return Object.entries(TOPICS).map(([code, mapping]) => ({
      code,
      description: `${mapping.description} → ${mapping.eventType}`,
    }));
  }

  normalise(eventCode: string, body: unknown): NormaliseResult {
    const mapping = TOPICS[eventCode];
    if (!mapping) return { kind: 'skip', reason: `unknown Faire topic "${eventCode}"` };
    const root = PayloadReader.of(body, `Faire ${eventCode}`);
    switch (mapping.resource) {
      case 'order':
        return publish([normaliseOrder(eventCode, mapping.eventType, root)]);
      case 'product':
        return publish([normaliseProduct(mapping.eventType, root)]);
      case 'inventory':
        return publish(normaliseInventory(mapping.eventType, root));
    }
  }

  signatureHeaderNames(): string[] {
    return [FAIRE_SIGNATURE_HEADER, FAIRE_BRAND_TOKEN_HEADER];
  }
}

function publish(events: NormalisedEvent[]): NormaliseResult {
  return { kind: 'publish', events };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function stringField(record: JsonObject, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The resource itself: bare, or wrapped as `{ <resource> }`, `{ data }` or `{ data: { <resource> } }` next to
 * envelope fields. The brand is the outermost `brand_id`. A shape that is none of these fails on the first field
 * the resource needs, read from the body itself (`body.id is required`).
 */
function unwrap(root: PayloadReader, resource: Resource): { item: PayloadReader; shopId: string | undefined } {
  const data = root.optObject('data');
  const item = root.optObject(resource) ?? data?.optObject(resource) ?? data ?? root;
  return { item, shopId: root.optId('brand_id') ?? data?.optId('brand_id') ?? item.optId('brand_id') };
}

function channelsFor(shopId: string | undefined): string[] {
  return shopId ? [`shop:${shopId}`] : [];
}

function withShop(shopId: string | undefined, payload: JsonObject): JsonObject {
  return shopId ? { shop_id: shopId, ...payload } : payload;
}

interface Money {
  amount: number;
  currency: string;
}

/** `{ amount_minor, currency }` under `key`, or a USD `<key>_cents`. */
function readMoney(reader: PayloadReader, key: string): Money | undefined {
  const money = reader.optObject(key);
  if (money) {
    const currency = money.string('currency');
    return { amount: fromMinorUnits(money.integer('amount_minor'), currency), currency };
  }
  const cents = reader.optInteger(`${key}_cents`);
  return cents === undefined ? undefined : { amount: fromMinorUnits(cents, 'USD'), currency: 'USD' };
}

function normaliseOrder(topic: string, eventType: string, root: PayloadReader): NormalisedEvent {
  const { item: order, shopId } = unwrap(root, 'order');
  const id = order.id('id');
  const state = order.optString('state');
  let currency: string | undefined;
  let subtotal = 0;
  const lineItems = order.objects('items').map((line) => {
    const price = readMoney(line, 'price');
    if (price) {
      if (currency && price.currency !== currency) line.fail('price.currency', `differs from the order's ${currency}`);
      currency = price.currency;
    }
    const quantity = line.integer('quantity');
    const unitPrice = price?.amount;
    if (unitPrice !== undefined) subtotal += unitPrice * quantity;
    const variantId = line.optId('product_option_id', 'variant_id');
    return compact({
      id: line.optId('id'),
      sku: line.optString('sku') ?? variantId ?? line.id('product_id'),
      quantity,
      product_id: line.optId('product_id'),
      variant_id: variantId,
      name: line.optString('product_name', 'name'),
      unit_price: unitPrice,
      total: unitPrice === undefined ? undefined : roundMoney(unitPrice * quantity),
    });
  });
  currency = currency ?? order.optString('currency') ?? 'USD';
  const shipping = readMoney(order, 'shipping');
  const total = readMoney(order, 'total')?.amount ?? roundMoney(subtotal + (shipping?.amount ?? 0));
  const status =
    topic === 'ORDER_CANCELED' ? 'cancelled' : state ? (ORDER_STATUS[state] ?? state.toLowerCase()) : 'unknown';
  const address = order.optObject('address', 'shipping_address');
  const shipments = order.optObjects('shipments');

  const payload = compact({
    id,
    number: order.optString('display_id'),
    status,
    provider_status: state,
    currency,
    subtotal: roundMoney(subtotal),
    shipping_total: shipping?.amount,
    total,
    line_items: lineItems,
    customer: compact({ id: order.optId('retailer_id'), name: address?.optString('company_name') }),
    shipping_address: address ? normaliseAddress(address) : undefined,
    created_at: order.optString('created_at'),
    updated_at: order.optString('updated_at'),
    cancel_reason: order.optString('cancel_reason', 'cancellation_reason'),
    fulfillments: shipments?.map((shipment) =>
      compact({
        id: shipment.optId('id'),
        carrier: shipment.optString('carrier'),
        tracking_number: shipment.optString('tracking_code', 'tracking_number'),
        shipped_at: shipment.optString('created_at'),
      }),
    ),
  });
  return {
    eventType,
    payload: withShop(shopId, { order: payload }),
    channels: channelsFor(shopId),
    orderingKey: `order:${id}`,
  };
}

function normaliseAddress(address: PayloadReader): JsonObject {
  return compact({
    name: address.optString('name'),
    company: address.optString('company_name'),
    line1: address.optString('address1'),
    line2: address.optString('address2'),
    city: address.optString('city'),
    region: address.optString('state_code', 'state'),
    postal_code: address.optString('postal_code'),
    country: address.optString('country_code', 'country'),
    phone: address.optString('phone_number'),
  });
}

function normaliseProduct(eventType: string, root: PayloadReader): NormalisedEvent {
  const { item: product, shopId } = unwrap(root, 'product');
  const id = product.id('id');
  const variants = (product.optObjects('options', 'variants') ?? []).map((option) => {
    const price = readMoney(option, 'wholesale_price');
    return compact({
      id: option.optId('id'),
      sku: option.optString('sku') ?? option.id('id'),
      title: option.optString('name'),
      price: price?.amount,
      currency: price?.currency,
      inventory_quantity: option.optInteger('available_quantity'),
    });
  });
  const payload = compact({
    id,
    title: product.string('name', 'title'),
    description: product.optString('description'),
    status: product.optString('lifecycle_state')?.toLowerCase(),
    variants,
    created_at: product.optString('created_at'),
    updated_at: product.optString('updated_at'),
  });
  return {
    eventType,
    payload: withShop(shopId, { product: payload }),
    channels: channelsFor(shopId),
    orderingKey: `product:${id}`,
  };
}

function normaliseInventory(eventType: string, root: PayloadReader): NormalisedEvent[] {
  const { item: container, shopId } = root.has('inventories', 'items')
    ? { item: root, shopId: root.optId('brand_id') }
    : unwrap(root, 'inventory');
  const items = container.optObjects('inventories', 'items') ?? [container];
  const updatedAt = container.optString('updated_at') ?? root.optString('updated_at');
  return items.map((item) => {
    const variantId = item.optId('product_option_id', 'variant_id');
    const sku = item.optString('sku') ?? variantId ?? item.fail('sku', 'is required (or product_option_id)');
    const inventory = compact({
      sku,
      available: item.integer('current_quantity', 'available_quantity'),
      product_id: item.optId('product_id'),
      variant_id: variantId,
      updated_at: item.optString('updated_at') ?? updatedAt,
    });
    return {
      eventType,
      payload: withShop(shopId, { inventory }),
      channels: channelsFor(shopId),
      orderingKey: `inventory:${sku}`,
    };
  });
}

function roundMoney(amount: number): number {
  return Math.round(amount * 1000) / 1000;
}
