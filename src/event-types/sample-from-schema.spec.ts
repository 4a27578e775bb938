import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_CATALOG } from './catalog/platform-catalog';
import { webhooksOf } from './openapi-webhooks';
import { PayloadValidator } from './payload-validator';
import { MAX_SAMPLE_DEPTH, sampleFromSchema } from './sample-from-schema';

const validator: PayloadValidator = new PayloadValidator();
const matches = (schema: Record<string, unknown>): void => {
  const sample = sampleFromSchema(schema);
  expect(() => validator.checkSample(schema, sample)).not.toThrow();
};

describe('sampleFromSchema', () => {
  it('fills the required properties only, with the declared types, formats, enums and bounds', () => {
    const schema = {
      type: 'object',
      required: ['id', 'email', 'at', 'status', 'count', 'price', 'tags', 'flag', 'code', 'nothing'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        email: { type: 'string', format: 'email' },
        at: { type: 'string', format: 'date-time' },
        status: { enum: ['open', 'closed'] },
        count: { type: 'integer', minimum: 3, maximum: 9 },
        price: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 },
        tags: { type: 'array', minItems: 2, items: { type: 'string', minLength: 8 } },
        flag: { type: 'boolean' },
        code: { const: 'X1' },
        nothing: { type: 'null' },
        optional: { type: 'string' },
      },
    };
    const sample = sampleFromSchema(schema) as Record<string, unknown>;
    expect(Object.keys(sample).sort()).toEqual([...schema.required].sort());
    expect(sample).toMatchObject({ status: 'open', count: 3, flag: true, code: 'X1', nothing: null });
    expect(sample.tags).toHaveLength(2);
    expect((sample.tags as string[])[0].length).toBeGreaterThanOrEqual(8);
    expect(sample.price).toBeGreaterThan(0);
    matches(schema);
  });

  it('follows local refs, allOf, oneOf and anyOf', () => {
    matches({
      type: 'object',
      required: ['a', 'b', 'c'],
      $defs: { money: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } } },
      properties: {
        a: { $ref: '#/$defs/money' },
        b: {
          allOf: [
            { $ref: '#/$defs/money' },
            { type: 'object', required: ['cur'], properties: { cur: { enum: ['EUR'] } } },
          ],
        },
        c: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
      },
    });
  });

  it('matches every shipped schema and every schema of the OpenAPI fixture', () => {
    for (const type of PLATFORM_CATALOG) matches(type.schema);
    const text = readFileSync(join(__dirname, '../../test/fixtures/partner-webhooks.openapi.yaml'), 'utf8');
    for (const type of webhooksOf(text)) matches(type.schema);
  });

  it('stops descending at its depth cap, even on a schema that refers to itself without end', () => {
    const endless = { type: 'object', required: ['next'], properties: { next: { $ref: '#' } } };
    let node = sampleFromSchema(endless);
    let depth = 0;
    while (typeof node === 'object' && node !== null && 'next' in node) {
      node = (node as { next: unknown }).next;
      depth += 1;
    }
    expect(depth).toBeGreaterThan(0);
    expect(depth).toBeLessThanOrEqual(MAX_SAMPLE_DEPTH + 1);
  });

  it('visits a bounded number of nodes on a wide schema', () => {
    const wide = {
      type: 'object',
      required: Array.from({ length: 50 }, (_, i) => `p${i}`),
      properties: Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`p${i}`, { type: 'array', minItems: 100, items: { $ref: '#' } }]),
      ),
    };
    const text = JSON.stringify(sampleFromSchema(wide));
    expect(text.length).toBeLessThan(1_000_000);
  });
});
