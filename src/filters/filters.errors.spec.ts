/**
 * Every refusal of the filters module is a named error with a stable reasonCode, as clients see it
 * in extensions.reasonCode, beside the unchanged field and reason.
 */
import { DomainError } from '../common/errors/domain-error';
import { compileFilter, compileReducer } from './engine';
import { toFilterNode } from './filter-input';
import { toStorableConfig } from './filter-validation';
import { FilterConditionInput } from './dto/filter-condition.input';

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('filters errors', () => {
  it.each<[string, () => unknown, string, Record<string, unknown>]>([
    [
      'a node that is neither leaf nor group',
      () => compileFilter({ query: '$.a', conditions: [] }),
      'FilterShapeError',
      {
        reasonCode: 'FILTER_SHAPE_INVALID',
        field: 'filter',
        reason: 'a node has either query/condition (a leaf) or conditions (a group), not both',
      },
    ],
    [
      'logic other than AND/OR',
      () => compileFilter({ logic: 'XOR' as 'AND', conditions: [] }),
      'FilterShapeError',
      {
        reasonCode: 'FILTER_SHAPE_INVALID',
        field: 'filter.logic',
      },
    ],
    [
      'a group input with an unknown logic',
      () => toFilterNode({ logic: 'XOR', conditions: [] } as unknown as FilterConditionInput),
      'FilterShapeError',
      {
        reasonCode: 'FILTER_SHAPE_INVALID',
        field: 'filter.logic',
        reason: 'must be AND or OR',
      },
    ],
    [
      'a condition that does not parse',
      () => compileFilter({ query: '$.a', condition: '(v) => v >' }),
      'ConditionSyntaxError',
      {
        reasonCode: 'CONDITION_SYNTAX_ERROR',
        field: 'filter.condition',
        position: 10,
      },
    ],
    [
      'an empty condition',
      () => compileFilter({ condition: '  ' }),
      'ConditionSyntaxError',
      {
        reasonCode: 'CONDITION_SYNTAX_ERROR',
        reason: 'must not be empty',
      },
    ],
    [
      'a name off the whitelist',
      () => compileFilter({ condition: 'v => process.exit()' }),
      'ConditionNotAllowedError',
      {
        reasonCode: 'CONDITION_NOT_ALLOWED',
        reason: 'identifier "process" is not allowed; only the parameter and whitelisted functions can be used',
      },
    ],
    [
      'a construct the prescan refuses',
      () => compileFilter({ condition: 'v => `${v}`' }),
      'ConditionNotAllowedError',
      {
        reasonCode: 'CONDITION_NOT_ALLOWED',
        reason: 'template literals are not supported (at position 5)',
        position: 5,
      },
    ],
    [
      'a JSONPath that does not parse',
      () => compileFilter({ query: '$.a[' }),
      'JsonPathSyntaxError',
      {
        reasonCode: 'JSONPATH_SYNTAX_ERROR',
        field: 'filter.query',
      },
    ],
    [
      'a JSONPath regex function',
      () => compileFilter({ query: '$.a[?match(@.b, "x.*")]' }),
      'JsonPathNotAllowedError',
      {
        reasonCode: 'JSONPATH_NOT_ALLOWED',
        reason: 'JSONPath function match() is not supported: regular expressions are not supported',
      },
    ],
    [
      'two descendant segments',
      () => compileReducer({ x: '$..a..b' }),
      'JsonPathNotAllowedError',
      {
        reasonCode: 'JSONPATH_NOT_ALLOWED',
        field: 'reducer.x',
      },
    ],
    [
      'a reducer that is not an object',
      () => compileReducer(['$.a']),
      'ReducerShapeError',
      {
        reasonCode: 'REDUCER_SHAPE_INVALID',
        field: 'reducer',
      },
    ],
    [
      'a reducer __proto__ key',
      () => compileReducer(JSON.parse('{"__proto__": "$.a"}')),
      'ReducerShapeError',
      {
        reasonCode: 'REDUCER_SHAPE_INVALID',
        reason: 'the key "__proto__" is not allowed',
      },
    ],
    [
      'neither filter nor reducer',
      () => toStorableConfig({}),
      'EmptyFilterReducerError',
      {
        reasonCode: 'FILTER_REDUCER_EMPTY',
        field: 'input',
      },
    ],
    [
      'a filter input too deep',
      () => toFilterNode(deepInput(40)),
      'FilterInputTooLargeError',
      {
        reasonCode: 'LIMIT_EXCEEDED',
        limit: 32,
      },
    ],
  ])('%s', (_title, run, name, details) => {
    const error = refusal(run);
    expect(error.name).toBe(name);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions()).toMatchObject(details);
  });
});

function deepInput(depth: number): FilterConditionInput {
  let node = { query: '$.a' } as FilterConditionInput;
  for (let i = 0; i < depth; i++) node = { logic: 'AND', conditions: [node] } as FilterConditionInput;
  return node;
}
