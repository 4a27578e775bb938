/**
 * The rules of validateFilter, validateReducer and of what saveFilterReducer may store.
 * Pure: no database, so they are unit-tested directly.
 */
import { BadUserInputError } from '../common/errors/domain-error';
import { compileFilter, compileReducer, FilterLimitError, FilterNode } from './engine';
import { isPlainObject } from './engine/safe-values';
import { FilterConditionInput } from './dto/filter-condition.input';
import { SaveFilterReducerInput } from './dto/save-filter-reducer.input';
import { ValidateFilterInput } from './dto/validate-filter.input';
import { ValidateReducerInput } from './dto/validate-reducer.input';
import { assertSampleSize, toFilterNode } from './filter-input';
import { FilterValidationResult, ReducerValidationResult } from './filter-reducer.model';
import { EmptyFilterReducerError } from './filters.errors';

/**
 * A malformed filter is an answer (success false, the error with its field and position), not an
 * error; inputs over the size limits are BAD_USER_INPUT before anything is compiled, and a filter
 * that hits one of the engine's limits (compiling, or on the sample) is BAD_USER_INPUT with
 * reasonCode LIMIT_EXCEEDED: it would not run at fan-out either.
 */
export function validateFilter(input: ValidateFilterInput): FilterValidationResult {
  assertSampleSize(input.sampleData);
  const node = toFilterNode(input.filter);
  let filter;
  try {
    filter = compileFilter(node);
  } catch (error) {
    if (error instanceof BadUserInputError && !(error instanceof FilterLimitError))
      return { success: false, message: error.message, filterResult: null };
    throw error;
  }
  const { result, explanation, limit } = filter.evaluate(input.sampleData);
  if (limit !== undefined) throw limit;
  return { success: true, message: explanation, filterResult: result };
}

export function validateReducer(input: ValidateReducerInput): ReducerValidationResult {
  assertSampleSize(input.sampleData);
  try {
    const reducerResult = compileReducer(input.reducer).apply(input.sampleData);
    return { success: true, message: null, reducerResult };
  } catch (error) {
    if (error instanceof BadUserInputError && !(error instanceof FilterLimitError))
      return { success: false, message: error.message, reducerResult: null };
    throw error;
  }
}

export interface StorableConfig {
  filter: FilterNode | null;
  reducer: Record<string, unknown> | null;
}

/**
 * Compiles both parts, so nothing is stored that fan-out could not run; throws BAD_USER_INPUT naming
 * the field. With the event type's sample payload, both are also tried on it: a configuration that
 * hits a limit there (LIMIT_EXCEEDED) would hit it on real events too. Fan-out is bounded whatever
 * was stored; this refuses what is already known not to run.
 */
export function toStorableConfig(
  input: Pick<SaveFilterReducerInput, 'filter' | 'reducer'>,
  samplePayload?: unknown,
): StorableConfig {
  const hasFilter = input.filter !== undefined && input.filter !== null;
  const hasReducer = input.reducer !== undefined && input.reducer !== null;
  if (!hasFilter && !hasReducer) throw new EmptyFilterReducerError();
  const filter = hasFilter ? toFilterNode(input.filter as FilterConditionInput) : null;
  if (filter !== null) {
    const compiled = compileFilter(filter);
    if (samplePayload !== undefined) {
      const { limit } = compiled.evaluate(samplePayload);
      if (limit !== undefined) throw limit;
    }
  }
  let reducer: Record<string, unknown> | null = null;
  if (hasReducer) {
    const compiled = compileReducer(input.reducer);
    if (samplePayload !== undefined) compiled.apply(samplePayload);
    // compileReducer accepts only a plain JSON object, so this narrows without a cast.
    if (isPlainObject(input.reducer)) reducer = input.reducer;
  }
  return { filter, reducer };
}
