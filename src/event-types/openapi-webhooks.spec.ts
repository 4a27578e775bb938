import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BadUserInputError } from '../common/errors/domain-error';
import { EventTypeReasonCode } from './event-types.errors';
import { MAX_OPENAPI_BYTES, webhooksOf } from './openapi-webhooks';
import { PayloadValidator } from './payload-validator';

const FIXTURE = readFileSync(join(__dirname, '../../test/fixtures/partner-webhooks.openapi.yaml'), 'utf8');

function refusal(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadUserInputError) return error.details;
    throw error;
  }
  throw new Error('expected a BadUserInputError');
}

describe('webhooksOf', () => {
  const types = webhooksOf(FIXTURE);
  const byName = new Map(types.map((t) => [t.name, t]));
  const validator: PayloadValidator = new PayloadValidator();

  it('makes one type per webhook, named by x-event-type or the key, described by summary or description', () => {
    expect(types.map((t) => t.name)).toEqual([
      'NEW_CONSUMER_ORDER',
      'UPDATE_CONSUMER_ORDER',
      'NEW_MEMBER',
      'COMPLETE_TRANSACTION',
    ]);
    expect(byName.get('NEW_CONSUMER_ORDER')?.description).toBe('A consumer placed an order');
    expect(byName.get('UPDATE_CONSUMER_ORDER')?.description).toBe('An order changed status or lines');
  });

  it('takes the sample from example, or the first of examples, or leaves it to be generated', () => {
    expect(byName.get('NEW_CONSUMER_ORDER')?.samplePayload).toMatchObject({ order: { id: 'o_1' } });
    expect(byName.get('UPDATE_CONSUMER_ORDER')?.samplePayload).toMatchObject({ order: { status: 'shipped' } });
    expect(byName.get('NEW_MEMBER')?.samplePayload).toBeUndefined();
  });

  it('resolves the shared components into $defs, so each schema stands alone and is valid, cycles included', () => {
    const order = byName.get('NEW_CONSUMER_ORDER')?.schema as Record<string, unknown>;
    expect(order.$ref).toBe('#/$defs/OrderEvent');
    expect(Object.keys(order.$defs as object).sort()).toEqual([
      'Address',
      'Consumer',
      'Money',
      'OrderEvent',
      'OrderLine',
    ]);
    expect(JSON.stringify(types)).not.toContain('#/components/');
    const transaction = byName.get('COMPLETE_TRANSACTION')?.schema as Record<string, unknown>;
    expect(Object.keys(transaction.$defs as object).sort()).toEqual(['Category', 'Money']);
    for (const type of types) expect(() => validator.checkSchema(type.schema)).not.toThrow();
    for (const type of types.filter((t) => t.samplePayload)) {
      expect(() => validator.checkSample(type.schema, type.samplePayload)).not.toThrow();
    }
    const bad = {
      shopId: 'shop_1',
      order: { id: 'o', status: 'placed', total: { amount: -1, currency: 'USD' }, lines: [] },
    };
    expect(refusal(() => validator.checkSample(order, bad)).field).toBe('samplePayload.order.total.amount');
  });

  it('reads the same document as JSON', () => {
    expect(webhooksOf(JSON.stringify(parse(FIXTURE)))).toEqual(types);
  });

  it('refuses external refs, documents that are not OpenAPI 3.1, too large or without webhooks, naming why', () => {
    const external = FIXTURE.replace(
      "$ref: '#/components/schemas/Money' }",
      "$ref: 'https://evil.example/money.json' }",
    );
    expect(refusal(() => webhooksOf(external))).toMatchObject({
      field: 'input.openApi',
      reasonCode: EventTypeReasonCode.InvalidOpenApi,
      reason: expect.stringContaining('https://evil.example/money.json'),
    });
    expect(refusal(() => webhooksOf(FIXTURE.replace('openapi: 3.1.0', 'openapi: 3.0.3'))).reason).toContain('3.1');
    expect(refusal(() => webhooksOf('openapi: 3.1.0\ninfo: {title: x, version: "1"}\n')).reason).toContain('webhooks');
    expect(refusal(() => webhooksOf('{ not json')).reason).toContain('neither JSON nor YAML');
    expect(refusal(() => webhooksOf(`${FIXTURE}\n#${'x'.repeat(MAX_OPENAPI_BYTES)}`)).reason).toContain('limit');
    const missing = FIXTURE.replace("'#/components/schemas/OrderLine'", "'#/components/schemas/Nope'");
    expect(refusal(() => webhooksOf(missing)).reason).toContain('points at nothing');
  });
});
