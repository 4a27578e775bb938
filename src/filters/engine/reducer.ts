/**
 * Reducers: a JSON object template whose string leaves starting with `$` are JSONPath queries
 * against the payload. One match gives the value, several an array, none null.
 */
import { FilterLimitError, ReducerShapeError } from './filter-engine.errors';
import { CompiledJsonPath, compileJsonPath } from './json-path';
import { FilterLimits } from './limits';
import { isPlainObject } from './safe-values';
import { StepBudget } from './step-budget';

export interface CompiledReducer {
  /**
   * Throws FilterLimitError('reducer', ...) when the output would pass the size limit, or the
   * queries together pass the reducer's budget (maxReducerSteps matches, maxVisits nodes visited,
   * the evaluation deadline). Without a budget, a fresh one per apply.
   */
  apply(payload: unknown, budget?: StepBudget): unknown;
}

/** The budget of one reducer apply: every query of the template shares it. */
export function reducerBudget(): StepBudget {
  return new StepBudget(FilterLimits.maxReducerSteps, { field: 'reducer' });
}

type Template =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'query'; readonly path: CompiledJsonPath }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, Template]> }
  | { readonly kind: 'array'; readonly items: readonly Template[] };

const MAX_OUTPUT = FilterLimits.maxReducerOutputChars;

export function compileReducer(reducer: unknown): CompiledReducer {
  if (!isPlainObject(reducer))
    throw new ReducerShapeError('reducer', 'must be a JSON object, e.g. { "id": "$.order.id" }');
  const counter = { queries: 0 };
  const template = compileTemplate(reducer, 'reducer', 0, counter);
  if (jsonSize(reducer, MAX_OUTPUT) > MAX_OUTPUT) {
    throw new FilterLimitError('reducer', `is larger than ${MAX_OUTPUT} characters of JSON`, MAX_OUTPUT);
  }
  return {
    apply(payload, budget = reducerBudget()) {
      const output = build(template, payload, { remaining: MAX_OUTPUT, steps: budget });
      // Queries were charged as they ran; this also counts literals, keys and punctuation.
      if (jsonSize(output, MAX_OUTPUT) > MAX_OUTPUT) throwOutputLimit();
      return output;
    },
  };
}

function throwOutputLimit(): never {
  throw new FilterLimitError('reducer', `output is larger than ${MAX_OUTPUT} characters of JSON (256 KiB)`, MAX_OUTPUT);
}

function childField(field: string, key: string | number): string {
  if (typeof key === 'number') return `${field}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${field}.${key}` : `${field}[${JSON.stringify(key)}]`;
}

/** Recursion is bounded: the depth is checked before descending. */
function compileTemplate(value: unknown, field: string, depth: number, counter: { queries: number }): Template {
  if (depth > FilterLimits.maxReducerDepth) {
    throw new FilterLimitError(
      field,
      `reducer is nested deeper than ${FilterLimits.maxReducerDepth} levels`,
      FilterLimits.maxReducerDepth,
    );
  }
  if (typeof value === 'string') {
    if (!value.startsWith('$')) return { kind: 'literal', value };
    if (++counter.queries > FilterLimits.maxReducerQueries) {
      throw new FilterLimitError(
        field,
        `reducer has more than ${FilterLimits.maxReducerQueries} JSONPath queries`,
        FilterLimits.maxReducerQueries,
      );
    }
    return { kind: 'query', path: compileJsonPath(value, field) };
  }
  if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
    return { kind: 'literal', value };
  }
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    return {
      kind: 'array',
      items: items.map((item, i) => compileTemplate(item, childField(field, i), depth + 1, counter)),
    };
  }
  if (isPlainObject(value)) {
    return {
      kind: 'object',
      entries: Object.keys(value).map((key) => {
        // Assigning "__proto__" would replace the output's prototype instead of adding a key.
        if (key === '__proto__')
          throw new ReducerShapeError(childField(field, key), 'the key "__proto__" is not allowed');
        return [key, compileTemplate(value[key], childField(field, key), depth + 1, counter)] as const;
      }),
    };
  }
  throw new ReducerShapeError(field, 'must be a JSON value (string, number, boolean, null, object or array)');
}

interface Output {
  /** Characters of JSON the output may still take. */
  remaining: number;
  readonly steps: StepBudget;
}

function build(template: Template, payload: unknown, budget: Output): unknown {
  switch (template.kind) {
    case 'literal':
      return template.value;
    case 'query': {
      const matches = template.path.select(payload, budget.steps);
      const value = matches.length === 0 ? null : matches.length === 1 ? matches[0] : matches;
      // Charged as we go so `$..*` over a large payload stops early instead of building megabytes.
      budget.remaining -= jsonSize(value, budget.remaining);
      if (budget.remaining < 0) throwOutputLimit();
      return value;
    }
    case 'array':
      return template.items.map((item) => build(item, payload, budget));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of template.entries) out[key] = build(child, payload, budget);
      return out;
    }
  }
}

/**
 * JSON.stringify(value).length for JSON data, computed by walking at most until `limit` is passed,
 * so measuring costs no more than the limit whatever the payload size. Our own walk rather than
 * JSON.stringify: it never calls toJSON or other functions found in the data, and it is iterative,
 * as payload depth is not ours to choose.
 */
export function jsonSize(value: unknown, limit: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= limit) {
    const item = stack.pop();
    if (typeof item === 'string') size += item.length > limit ? item.length + 2 : JSON.stringify(item).length;
    else if (typeof item === 'number') size += Number.isFinite(item) ? String(item).length : 4;
    else if (typeof item === 'boolean') size += item ? 4 : 5;
    else if (item === null || item === undefined || typeof item !== 'object')
      size += 4; // null, or null in an array
    else if (Array.isArray(item)) {
      size += 2 + Math.max(0, item.length - 1);
      for (let i = item.length - 1; i >= 0 && size <= limit; i--) stack.push(item[i]);
    } else {
      // JSON.stringify drops undefined and function members: count only what it writes.
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record).filter((key) => record[key] !== undefined && typeof record[key] !== 'function');
      size += 2 + Math.max(0, keys.length - 1);
      for (let i = keys.length - 1; i >= 0 && size <= limit; i--) {
        size += JSON.stringify(keys[i]).length + 1;
        stack.push(record[keys[i]]);
      }
    }
  }
  return size;
}
