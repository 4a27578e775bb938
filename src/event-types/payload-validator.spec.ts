import { BadUserInputError } from '../common/errors/domain-error';
import { findPlatformEventType } from './catalog/platform-catalog';
import { EventTypeDefinition, EventTypeSource } from './event-type-definition';
import { EventTypeReasonCode, PayloadSchemaMismatchError } from './event-types.errors';
import { PayloadValidator } from './payload-validator';
import { OperationalEventType, TEST_EVENT_TYPE } from './platform-event-types';

function caught(fn: () => void): BadUserInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error('expected a BadUserInputError');
}

function shipped(name: string): EventTypeDefinition {
  const type = findPlatformEventType(name);
  if (!type) throw new Error(`no shipped event type ${name}`);
  return type;
}

describe('PayloadValidator', () => {
  const validator = new PayloadValidator();
  const validate = (name: string, payload: unknown): void => validator.validate(shipped(name), payload);

  it('names the path of a wrongly typed field, as a PAYLOAD_SCHEMA_MISMATCH', () => {
    const sample = shipped('order.created').samplePayload;
    const order = sample['order'] as Record<string, unknown>;
    const error = caught(() => validate('order.created', { ...sample, order: { ...order, total: '99.21' } }));
    expect(error).toBeInstanceOf(PayloadSchemaMismatchError);
    expect(error.details).toMatchObject({
      field: 'payload.order.total',
      reason: 'must be number',
      reasonCode: EventTypeReasonCode.PayloadSchemaMismatch,
    });
    expect(error.message).toBe('payload.order.total: must be number');
  });

  it('names array indices and missing required fields', () => {
    const bad = {
      order: {
        id: 'o1',
        status: 'pending',
        currency: 'USD',
        total: 10,
        line_items: [{ sku: 'A', quantity: 1 }, { quantity: 2 }],
      },
    };
    const error = caught(() => validate('order.created', bad));
    expect(error.details).toMatchObject({ field: 'payload.order.line_items[1].sku', reason: 'is required' });
  });

  it('requires the whole order on order.created but only id and status on order.updated', () => {
    const notice = { shop_id: '1001', order: { id: 'PO-211-01', status: 'shipped' } };
    expect(() => validate('order.updated', notice)).not.toThrow();
    expect(caught(() => validate('order.created', notice)).details).toMatchObject({ field: 'payload.order.currency' });
  });

  it('allows additional properties', () => {
    const sample = shipped('product.updated').samplePayload;
    expect(() =>
      validate('product.updated', { ...sample, source: { provider: 'faire', raw_id: 'p_1' } }),
    ).not.toThrow();
  });

  it('rejects a payload that is not an object', () => {
    expect(caught(() => validate(TEST_EVENT_TYPE, 'hello')).details).toMatchObject({
      field: 'payload',
      reason: 'must be object',
    });
  });

  it('enforces formats on platform-generated payloads', () => {
    const sample = shipped(OperationalEventType.EndpointFailing).samplePayload;
    const error = caught(() =>
      validate(OperationalEventType.EndpointFailing, { ...sample, disableAt: 'next tuesday' }),
    );
    expect(error.details).toMatchObject({ field: 'payload.disableAt' });
  });

  it('compiles a schema it was not built with on first use, and keeps to it', () => {
    const type: EventTypeDefinition = {
      name: 'comment.created',
      description: 'a type that is not shipped',
      schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      samplePayload: { id: 'c1' },
      archived: false,
      source: EventTypeSource.Tenant,
    };
    expect(() => validator.validate(type, { id: 'c1' })).not.toThrow();
    expect(caught(() => validator.validate(type, {})).details).toMatchObject({
      field: 'payload.id',
      reason: 'is required',
    });
    expect(() => validator.validate(type, { id: 'c2' })).not.toThrow();
  });
});
