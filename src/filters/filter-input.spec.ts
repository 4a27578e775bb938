import { BadUserInputError } from '../common/errors/domain-error';
import { FilterConditionInput, FilterLogic } from './dto/filter-condition.input';
import { assertSampleSize, FilterInputLimits, toFilterNode } from './filter-input';

function caught(fn: () => unknown): BadUserInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadUserInputError) return error;
    throw error;
  }
  throw new Error('expected BAD_USER_INPUT');
}

function chain(depth: number): FilterConditionInput {
  let node: FilterConditionInput = { query: '$.a', condition: 'v => v > 1' };
  for (let i = 1; i < depth; i++) node = { logic: FilterLogic.OR, conditions: [node] };
  return node;
}

describe('toFilterNode', () => {
  it('copies a GraphQL input into a plain node without nulls', () => {
    const input: FilterConditionInput = {
      query: null,
      condition: null,
      logic: FilterLogic.OR,
      conditions: [
        { query: '$.order.total', condition: '(v) => v > 100', logic: null, conditions: null },
        { logic: FilterLogic.AND, conditions: [] },
      ],
    };
    const node = toFilterNode(input);
    expect(node).toEqual({
      logic: 'OR',
      conditions: [
        { query: '$.order.total', condition: '(v) => v > 100' },
        { logic: 'AND', conditions: [] },
      ],
    });
    expect(Object.getPrototypeOf(node)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(node))).toEqual(node);
  });

  it(`accepts ${FilterInputLimits.maxDepth} levels and refuses one more, naming the node`, () => {
    expect(() => toFilterNode(chain(FilterInputLimits.maxDepth))).not.toThrow();
    const error = caught(() => toFilterNode(chain(FilterInputLimits.maxDepth + 1)));
    expect(error.message).toMatch(/^filter(\.conditions\[0\]){32}: filter is nested deeper than 32 levels$/);
    expect(error.details.limit).toBe(32);
  });

  it(`accepts ${FilterInputLimits.maxNodes} nodes and refuses one more`, () => {
    const leaf = { query: '$.a' };
    expect(() => toFilterNode({ conditions: Array.from({ length: 49 }, () => leaf) })).not.toThrow();
    const error = caught(() => toFilterNode({ conditions: Array.from({ length: 50 }, () => leaf) }));
    expect(error.message).toBe('filter.conditions[49]: filter has more than 50 nodes (leaves and groups)');
    expect(error.details.limit).toBe(50);
  });

  it('stops at the limit without walking a huge tree', () => {
    const wide = { conditions: Array.from({ length: 100_000 }, () => ({ query: '$.a' })) };
    const started = Date.now();
    expect(() => toFilterNode(wide)).toThrow(/more than 50 nodes/);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('refuses a logic value that is not AND or OR', () => {
    const input = { logic: 'XOR', conditions: [] } as unknown as FilterConditionInput;
    expect(caught(() => toFilterNode(input)).message).toBe('filter.logic: must be AND or OR');
  });
});

describe('assertSampleSize', () => {
  it('accepts 256 KiB of JSON and refuses more', () => {
    const limit = FilterInputLimits.maxSampleChars;
    expect(() => assertSampleSize({ s: 'x'.repeat(limit - 8) })).not.toThrow(); // {"s":"…"} adds 8
    const error = caught(() => assertSampleSize({ s: 'x'.repeat(limit - 7) }));
    expect(error.message).toBe('sampleData: is larger than 262144 characters of JSON (256 KiB)');
  });
});
