import { BadUserInputError } from '../common/errors/domain-error';
import { EventTypeReasonCode } from './event-types.errors';
import { PayloadValidator } from './payload-validator';
import { MAX_SCHEMA_BYTES } from './schema-rules';

const validator: PayloadValidator = new PayloadValidator();

function refusal(schema: unknown): Record<string, unknown> {
  try {
    validator.checkSchema(schema, 'input.schema');
  } catch (error) {
    if (error instanceof BadUserInputError) return error.details;
    throw error;
  }
  throw new Error('expected a BadUserInputError');
}

describe('PayloadValidator.checkSchema', () => {
  it('accepts a draft 2020-12 schema with local refs, and OpenAPI annotations', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { id: { type: 'string', pattern: '^c_[0-9a-z]+$' } },
      properties: { id: { $ref: '#/$defs/id' }, n: { type: 'integer', format: 'int64', example: 3 } },
    };
    expect(() => validator.checkSchema(schema)).not.toThrow();
  });

  it('names the schema path of a schema that is not valid draft 2020-12', () => {
    expect(refusal({ type: 'object', properties: { age: { type: 'integr' } } })).toMatchObject({
      field: 'input.schema',
      schemaPath: '/properties/age/type',
      reasonCode: EventTypeReasonCode.InvalidEventTypeSchema,
    });
    expect(refusal({ type: 'object', required: 'id' })).toMatchObject({ schemaPath: '/required' });
    expect(refusal({ type: 'object', frobnicate: true }).reason).toContain('frobnicate');
    expect(refusal(['not', 'an', 'object']).reasonCode).toBe(EventTypeReasonCode.InvalidEventTypeSchema);
  });

  it('refuses remote refs anywhere, $id, and a pattern that may backtrack exponentially', () => {
    for (const ref of ['https://evil.example/s.json', 'http://169.254.169.254/latest', 'other.json#/a', '//host/x']) {
      expect(refusal({ type: 'object', properties: { a: { items: [{ $ref: ref }] } } })).toMatchObject({
        schemaPath: '/properties/a/items/0/$ref',
        reasonCode: EventTypeReasonCode.RemoteSchemaRef,
      });
    }
    expect(refusal({ type: 'object', properties: { a: { $dynamicRef: 'https://x/y' } } }).reasonCode).toBe(
      EventTypeReasonCode.RemoteSchemaRef,
    );
    expect(refusal({ $id: 'https://tenant.example/schema', type: 'object' }).schemaPath).toBe('/$id');
    expect(refusal({ type: 'string', pattern: '^(a+)+$' })).toMatchObject({ schemaPath: '/pattern' });
    expect(refusal({ type: 'object', patternProperties: { '(x*)*y': {} } }).schemaPath).toBe(
      '/patternProperties/(x*)*y',
    );
  });

  it('refuses a schema over 64 KiB with the limit', () => {
    const big = { type: 'object', description: 'x'.repeat(70 * 1024) };
    expect(refusal(big)).toMatchObject({
      field: 'input.schema',
      limit: MAX_SCHEMA_BYTES,
      reasonCode: 'LIMIT_EXCEEDED',
    });
    const justUnder = { type: 'object', description: 'x'.repeat(MAX_SCHEMA_BYTES - 100) };
    expect(() => validator.checkSchema(justUnder)).not.toThrow();
  });
});
