/**
 * The API's own input limits, checked before the engine compiles anything. The engine has wider
 * hard limits of its own (FilterLimits); these keep what a tenant can store small and readable.
 */
import type { FilterNode } from './engine';
import { jsonSize } from './engine/reducer';
import { FilterConditionInput, FilterLogic } from './dto/filter-condition.input';
import { FilterInputTooLargeError, FilterShapeError } from './filters.errors';

export const FilterInputLimits = {
  /** Leaves and groups together. */
  maxNodes: 50,
  maxDepth: 32,
  /** Characters of JSON of a validateFilter / validateReducer sample. */
  maxSampleChars: 256 * 1024,
} as const;

const LOGIC: Record<FilterLogic, 'AND' | 'OR'> = { [FilterLogic.AND]: 'AND', [FilterLogic.OR]: 'OR' };

/**
 * Copies a GraphQL filter input into the plain node the engine compiles and the table stores
 * (nulls dropped, no class instances), refusing trees over the limits. Field paths match the
 * engine's, e.g. filter.conditions[1].
 */
export function toFilterNode(input: FilterConditionInput, field = 'filter'): FilterNode {
  return copyNode(input, field, 1, { nodes: 0 });
}

/** Recursion is bounded: the depth is checked before descending. */
function copyNode(input: FilterConditionInput, field: string, depth: number, counter: { nodes: number }): FilterNode {
  if (depth > FilterInputLimits.maxDepth) {
    throw new FilterInputTooLargeError(
      field,
      `filter is nested deeper than ${FilterInputLimits.maxDepth} levels`,
      FilterInputLimits.maxDepth,
    );
  }
  if (++counter.nodes > FilterInputLimits.maxNodes) {
    throw new FilterInputTooLargeError(
      field,
      `filter has more than ${FilterInputLimits.maxNodes} nodes (leaves and groups)`,
      FilterInputLimits.maxNodes,
    );
  }
  if (typeof input !== 'object' || input === null)
    throw new FilterShapeError(field, 'must be an object with query/condition or logic/conditions');
  const node: FilterNode = {};
  if (input.query !== undefined && input.query !== null) node.query = input.query;
  if (input.condition !== undefined && input.condition !== null) node.condition = input.condition;
  if (input.logic !== undefined && input.logic !== null) {
    const logic = LOGIC[input.logic] as 'AND' | 'OR' | undefined;
    if (logic === undefined) throw new FilterShapeError(`${field}.logic`, 'must be AND or OR');
    node.logic = logic;
  }
  if (input.conditions !== undefined && input.conditions !== null) {
    node.conditions = input.conditions.map((child, i) =>
      copyNode(child, `${field}.conditions[${i}]`, depth + 1, counter),
    );
  }
  return node;
}

export function assertSampleSize(sample: unknown, field = 'sampleData'): void {
  const limit = FilterInputLimits.maxSampleChars;
  if (jsonSize(sample, limit) > limit) {
    throw new FilterInputTooLargeError(field, `is larger than ${limit} characters of JSON (256 KiB)`, limit);
  }
}
