import { BadUserInputError } from '../common/errors/domain-error';
import {
  EVENT_TYPE_CATALOG,
  OPERATIONAL_EVENT_TYPES,
  TEST_EVENT_TYPE,
  findEventType,
  isOperationalEventType,
} from './event-type-catalog';
import { PayloadValidator } from './payload-validator';

function caught(fn: () => void): BadUserInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error('expected a BadUserInputError');
}

describe('event-type catalog', () => {
  it('holds the commerce, operational and test types, each once', () => {
    const names = EVENT_TYPE_CATALOG.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'order.created',
        'order.updated',
        'order.cancelled',
        'order.fulfilled',
        'payment.completed',
        'payment.refunded',
        'product.created',
        'product.updated',
        'inventory.updated',
        'customer.created',
        'customer.updated',
        'shop.updated',
        ...OPERATIONAL_EVENT_TYPES,
        TEST_EVENT_TYPE,
      ]),
    );
  });

  it('flags exactly the operational types as operational', () => {
    const operational = EVENT_TYPE_CATALOG.filter((d) => d.operational === true).map((d) => d.name);
    expect(operational.sort()).toEqual([...OPERATIONAL_EVENT_TYPES].sort());
    expect(isOperationalEventType('endpoint.failing')).toBe(true);
    expect(isOperationalEventType('order.created')).toBe(false);
  });

  it('finds a type by name', () => {
    expect(findEventType('order.created')?.description).toContain('order');
    expect(findEventType('nope.nope')).toBeUndefined();
  });
});

describe('PayloadValidator', () => {
  const validator = new PayloadValidator();

  it.each(EVENT_TYPE_CATALOG.map((d) => [d.name, d.samplePayload] as const))('accepts the sample payload of %s', (name, sample) => {
    expect(() => validator.validate(name, sample)).not.toThrow();
  });

  it('names the path of a wrongly typed field', () => {
    const sample = findEventType('order.created')!.samplePayload;
    const order = sample['order'] as Record<string, unknown>;
    const error = caught(() => validator.validate('order.created', { ...sample, order: { ...order, total: '99.21' } }));
    expect(error.details).toMatchObject({ field: 'payload.order.total', reason: 'must be number' });
  });

  it('names array indices and missing required fields', () => {
    const bad = { order: { id: 'o1', status: 'pending', currency: 'USD', total: 10, line_items: [{ sku: 'A', quantity: 1 }, { quantity: 2 }] } };
    const error = caught(() => validator.validate('order.created', bad));
    expect(error.details).toMatchObject({ field: 'payload.order.line_items[1].sku', reason: 'is required' });
  });

  it('requires the whole order on order.created but only id and status on order.updated', () => {
    const notice = { shop_id: '1001', order: { id: 'PO-211-01', status: 'shipped' } };
    expect(() => validator.validate('order.updated', notice)).not.toThrow();
    expect(caught(() => validator.validate('order.created', notice)).details).toMatchObject({ field: 'payload.order.currency' });
  });

  it('allows additional properties', () => {
    const sample = findEventType('product.updated')!.samplePayload;
    expect(() => validator.validate('product.updated', { ...sample, source: { provider: 'faire', raw_id: 'p_1' } })).not.toThrow();
  });

  it('rejects a payload that is not an object', () => {
    expect(caught(() => validator.validate('webhook.test', 'hello')).details).toMatchObject({ field: 'payload', reason: 'must be object' });
  });

  it('enforces formats on platform-generated payloads', () => {
    const sample = findEventType('endpoint.failing')!.samplePayload;
    const error = caught(() => validator.validate('endpoint.failing', { ...sample, disableAt: 'next tuesday' }));
    expect(error.details).toMatchObject({ field: 'payload.disableAt' });
  });

  it('rejects an unknown event type', () => {
    const error = caught(() => validator.validate('order.exploded', {}));
    expect(error.details).toMatchObject({ field: 'eventType', reason: 'unknown event type "order.exploded"' });
  });
});
