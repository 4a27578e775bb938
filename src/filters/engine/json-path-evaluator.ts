/**
 * Our own RFC 9535 evaluator over jsonpath-rfc9535's parsed AST, for every query that is not a
 * plain name/index walk: unions, wildcards, slices, descendant segments and filter selectors.
 * The library's query() builds every match before anyone can count them (ten repeated indexes,
 * nine levels deep, is 10^9 nodes); here every node the walk touches is charged to the budget
 * before it is kept, so the walk stops at the limit instead.
 *
 * Semantics and order are the library's, which walks a first-in first-out queue of (node,
 * segment) pairs; json-path.spec.ts compares the two on random payloads. Two places where the
 * library departs from RFC 9535 follow the RFC instead: an index in a singular query inside a
 * filter (`@[0] == 1`, which the library never matches) and length(), which counts code points.
 */
import { FilterLimitError, JsonPathNotAllowedError } from './filter-engine.errors';
import { FilterLimits } from './limits';
import { isPlainObject } from './safe-values';
import { StepBudget } from './step-budget';
import { STEP_COST } from './step-costs';

export type PathSelector =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'slice'; readonly start: number | null; readonly end: number | null; readonly step: number | null }
  | { readonly kind: 'filter'; readonly test: Logical };

export interface PathSegment {
  readonly descendant: boolean;
  readonly selectors: readonly PathSelector[];
}

type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

type Logical =
  | { readonly kind: 'or' | 'and'; readonly left: Logical; readonly right: Logical }
  | { readonly kind: 'not'; readonly operand: Logical }
  | { readonly kind: 'exists'; readonly query: RelativeQuery }
  | { readonly kind: 'call'; readonly call: Call }
  | { readonly kind: 'compare'; readonly op: ComparisonOp; readonly left: Comparable; readonly right: Comparable };

/** A query inside a filter: relative (`@…`) or, singular only, absolute (`$…`). */
interface RelativeQuery {
  readonly absolute: boolean;
  readonly segments: readonly PathSegment[];
}

type SingularStep =
  { readonly kind: 'name'; readonly name: string } | { readonly kind: 'index'; readonly index: number };

type Comparable =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'singular'; readonly absolute: boolean; readonly steps: readonly SingularStep[] }
  | { readonly kind: 'call'; readonly call: Call };

interface Call {
  readonly name: string;
  readonly args: readonly Argument[];
}

type Argument =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'nodes'; readonly query: RelativeQuery }
  | { readonly kind: 'call'; readonly call: Call }
  | { readonly kind: 'logical'; readonly test: Logical };

/** "No value": a singular query that matched nothing, value() of several nodes. */
const NOTHING: unique symbol = Symbol('nothing');

/** A function argument that is a node list (a query), as opposed to a value. */
class NodeList {
  constructor(readonly nodes: unknown[]) {}
}

// ---------------------------------------------------------------------------------------------
// From the library's AST. checkQueryAst (json-path.ts) has already bounded its depth.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function unsupported(field: string, what: unknown): never {
  throw new JsonPathNotAllowedError(
    field,
    `unsupported JSONPath construct ${typeof what === 'string' ? what : 'node'}`,
  );
}

export function toSegments(segments: unknown, field: string): PathSegment[] {
  if (!Array.isArray(segments)) unsupported(field, 'segments');
  return (segments as unknown[]).map((segment) => {
    if (
      !isRecord(segment) ||
      (segment.type !== 'ChildSegment' && segment.type !== 'DescendantSegment') ||
      !isRecord(segment.node)
    ) {
      return unsupported(field, isRecord(segment) ? segment.type : undefined);
    }
    const node = segment.node;
    const selectors =
      node.type === 'BracketedSelection' && Array.isArray(node.selectors) ? (node.selectors as unknown[]) : [node];
    return {
      descendant: segment.type === 'DescendantSegment',
      selectors: selectors.map((selector) => toSelector(selector, field)),
    };
  });
}

function toSelector(node: unknown, field: string): PathSelector {
  if (!isRecord(node)) return unsupported(field, undefined);
  switch (node.type) {
    case 'MemberNameShorthand':
    case 'NameSelector':
      if (typeof node.value === 'string') return { kind: 'name', name: node.value };
      break;
    case 'IndexSelector':
      if (typeof node.value === 'number') return { kind: 'index', index: node.value };
      break;
    case 'WildcardSelector':
      return { kind: 'wildcard' };
    case 'SliceSelector':
      return {
        kind: 'slice',
        start: optionalNumber(node.start),
        end: optionalNumber(node.end),
        step: optionalNumber(node.step),
      };
    case 'FilterSelector':
      return { kind: 'filter', test: toLogical(node.value, field) };
  }
  return unsupported(field, node.type);
}

function optionalNumber(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function toLogical(node: unknown, field: string): Logical {
  if (!isRecord(node)) return unsupported(field, undefined);
  switch (node.type) {
    case 'LogicalOrExpr':
    case 'LogicalAndExpr':
      return {
        kind: node.type === 'LogicalOrExpr' ? 'or' : 'and',
        left: toLogical(node.left, field),
        right: toLogical(node.right, field),
      };
    case 'LogicalNotExpr':
      return { kind: 'not', operand: toLogical(node.expression, field) };
    case 'TestExpr': {
      const expression = node.expression;
      if (isRecord(expression) && expression.type === 'FilterQuery')
        return { kind: 'exists', query: toFilterQuery(expression, field) };
      return { kind: 'call', call: toCall(expression, field) };
    }
    case 'ComparisonExpr':
      return {
        kind: 'compare',
        op: node.op as ComparisonOp,
        left: toComparable(node.left, field),
        right: toComparable(node.right, field),
      };
  }
  return unsupported(field, node.type);
}

function toFilterQuery(node: Record<string, unknown>, field: string): RelativeQuery {
  const value = node.value;
  if (!isRecord(value) || (value.type !== 'RelQuery' && value.type !== 'JsonPathQuery'))
    return unsupported(field, 'filter query');
  return { absolute: value.type === 'JsonPathQuery', segments: toSegments(value.segments, field) };
}

function toComparable(node: unknown, field: string): Comparable {
  if (!isRecord(node)) return unsupported(field, undefined);
  switch (node.type) {
    case 'Literal':
      return { kind: 'literal', value: node.value };
    case 'RelSingularQuery':
    case 'AbsSingularQuery':
      return {
        kind: 'singular',
        absolute: node.type === 'AbsSingularQuery',
        steps: toSingularSteps(node.segments, field),
      };
    case 'FunctionExpr':
      return { kind: 'call', call: toCall(node, field) };
  }
  return unsupported(field, node.type);
}

function toSingularSteps(segments: unknown, field: string): SingularStep[] {
  if (!Array.isArray(segments)) return unsupported(field, 'segments');
  return (segments as unknown[]).map((segment) => {
    const node = isRecord(segment) ? segment.node : undefined;
    if (!isRecord(node)) return unsupported(field, undefined);
    if ((node.type === 'NameSelector' || node.type === 'MemberNameShorthand') && typeof node.value === 'string')
      return { kind: 'name', name: node.value };
    // The parser wraps an index here: { type: 'IndexSelector', selector: { type: 'IndexSelector', value } }.
    const inner = isRecord(node.selector) ? node.selector : node;
    if (node.type === 'IndexSelector' && typeof inner.value === 'number') return { kind: 'index', index: inner.value };
    return unsupported(field, node.type);
  });
}

function toCall(node: unknown, field: string): Call {
  if (!isRecord(node) || node.type !== 'FunctionExpr' || typeof node.name !== 'string')
    return unsupported(field, 'function');
  const args = Array.isArray(node.arguments) ? (node.arguments as unknown[]) : [];
  return { name: node.name, args: args.map((arg) => toArgument(arg, field)) };
}

function toArgument(node: unknown, field: string): Argument {
  if (!isRecord(node)) return unsupported(field, undefined);
  switch (node.type) {
    case 'Literal':
      return { kind: 'literal', value: node.value };
    case 'FilterQuery':
      return { kind: 'nodes', query: toFilterQuery(node, field) };
    case 'FunctionExpr':
      return { kind: 'call', call: toCall(node, field) };
  }
  return { kind: 'logical', test: toLogical(node, field) };
}

/**
 * The most nodes the query's unions can make of one node, before any wildcard or slice: the
 * product of its segments' selector counts. `$[0,0,0,0,0,0,0,0,0,0]` nine times is 10^9 whatever
 * the payload, so it is refused when compiled rather than discovered at the limit.
 */
export function unionFactor(segments: readonly PathSegment[]): number {
  let factor = 1;
  for (const segment of segments) factor = Math.min(Number.MAX_SAFE_INTEGER, factor * segment.selectors.length);
  return factor;
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

interface Walk {
  readonly root: unknown;
  readonly budget: StepBudget;
}

/**
 * Every match of the segments from `start`, in the library's order. Each node kept on the queue
 * costs a visit, charged before it is kept; each match costs a step too when `countMatches`.
 * Stops after `stopAfter` matches; more than maxQueryNodes is a limit error.
 */
export function evaluateSegments(
  segments: readonly PathSegment[],
  root: unknown,
  budget: StepBudget,
  countMatches: boolean,
  stopAfter: number = Number.POSITIVE_INFINITY,
): unknown[] {
  return run({ root, budget }, segments, root, countMatches, stopAfter);
}

function run(
  walk: Walk,
  segments: readonly PathSegment[],
  start: unknown,
  countMatches: boolean,
  stopAfter: number,
): unknown[] {
  const { budget } = walk;
  const out: unknown[] = [];
  const values: unknown[] = [start];
  const levels: number[] = [0];
  const last = segments.length;
  for (let head = 0; head < values.length; head++) {
    const value = values[head];
    const level = levels[head];
    // Let the queue's consumed part go: a long walk should not keep every node it passed.
    values[head] = undefined;
    if (level === last) {
      if (countMatches) budget.charge(STEP_COST.match);
      if (out.length >= FilterLimits.maxQueryNodes) throwNodeLimit(budget);
      out.push(value);
      if (out.length >= stopAfter) return out;
      continue;
    }
    const segment = segments[level];
    const next = level + 1;
    for (const selector of segment.selectors) applySelector(walk, selector, value, next, values, levels);
    if (segment.descendant) {
      pushChildren(budget, value, level, values, levels);
    }
  }
  return out;
}

/** The per-query node cap; marks the budget breached, since a leaf may swallow the error. */
export function throwNodeLimit(budget: StepBudget | undefined): never {
  if (budget !== undefined) budget.breached = true;
  throw new FilterLimitError(
    budget?.field ?? 'filter',
    `a JSONPath query produced more than ${FilterLimits.maxQueryNodes} nodes`,
    FilterLimits.maxQueryNodes,
  );
}

function applySelector(
  walk: Walk,
  selector: PathSelector,
  value: unknown,
  level: number,
  values: unknown[],
  levels: number[],
): void {
  const { budget } = walk;
  switch (selector.kind) {
    case 'name':
      if (isPlainObject(value) && Object.hasOwn(value, selector.name)) {
        budget.visit(1);
        values.push(value[selector.name]);
        levels.push(level);
      }
      return;
    case 'index':
      if (Array.isArray(value)) {
        const list: readonly unknown[] = value;
        const at = selector.index < 0 ? list.length + selector.index : selector.index;
        if (at >= 0 && at < list.length) {
          budget.visit(1);
          values.push(list[at]);
          levels.push(level);
        }
      }
      return;
    case 'wildcard':
      pushChildren(budget, value, level, values, levels);
      return;
    case 'slice':
      if (Array.isArray(value)) slice(budget, selector, value, level, values, levels);
      return;
    case 'filter':
      if (Array.isArray(value)) {
        const list: readonly unknown[] = value;
        for (let i = 0; i < list.length; i++) {
          budget.visit(1);
          if (test(walk, selector.test, list[i])) {
            values.push(list[i]);
            levels.push(level);
          }
        }
      } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) {
          budget.visit(1);
          const child = value[key];
          if (test(walk, selector.test, child)) {
            values.push(child);
            levels.push(level);
          }
        }
      }
      return;
  }
}

/** RFC 9535 §2.3.4.2, as the library computes it. */
function slice(
  budget: StepBudget,
  selector: Extract<PathSelector, { kind: 'slice' }>,
  list: readonly unknown[],
  level: number,
  values: unknown[],
  levels: number[],
): void {
  const len = list.length;
  const step = selector.step ?? 1;
  if (step === 0) return;
  const normalize = (i: number): number => (i >= 0 ? i : len + i);
  const start = selector.start === null ? (step >= 0 ? 0 : len - 1) : normalize(selector.start);
  const end = selector.end === null ? (step >= 0 ? len : -len - 1) : normalize(selector.end);
  if (step > 0) {
    const lower = Math.min(Math.max(start, 0), len);
    const upper = Math.min(Math.max(end, 0), len);
    for (let i = lower; i < upper; i += step) {
      budget.visit(1);
      values.push(list[i]);
      levels.push(level);
    }
  } else {
    const upper = Math.min(Math.max(start, -1), len - 1);
    const lower = Math.min(Math.max(end, -1), len - 1);
    for (let i = upper; lower < i; i += step) {
      budget.visit(1);
      values.push(list[i]);
      levels.push(level);
    }
  }
}

/** Recursion is bounded by the AST depth checked at compile time. */
function test(walk: Walk, node: Logical, current: unknown): boolean {
  switch (node.kind) {
    case 'or':
      return test(walk, node.left, current) || test(walk, node.right, current);
    case 'and':
      return test(walk, node.left, current) && test(walk, node.right, current);
    case 'not':
      return !test(walk, node.operand, current);
    case 'exists':
      return subquery(walk, node.query, current, 1).length > 0;
    case 'call':
      return call(walk, node.call, current) === true;
    case 'compare':
      return compare(walk, comparable(walk, node.left, current), comparable(walk, node.right, current), node.op);
  }
}

function subquery(walk: Walk, query: RelativeQuery, current: unknown, stopAfter = Number.POSITIVE_INFINITY): unknown[] {
  return run(walk, query.segments, query.absolute ? walk.root : current, false, stopAfter);
}

function comparable(walk: Walk, node: Comparable, current: unknown): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'singular': {
      let value = node.absolute ? walk.root : current;
      for (const step of node.steps) {
        walk.budget.visit(1);
        if (step.kind === 'name') {
          if (!isPlainObject(value) || !Object.hasOwn(value, step.name)) return NOTHING;
          value = value[step.name];
        } else {
          if (!Array.isArray(value)) return NOTHING;
          const list: readonly unknown[] = value;
          const at = step.index < 0 ? list.length + step.index : step.index;
          if (at < 0 || at >= list.length) return NOTHING;
          value = list[at];
        }
      }
      return value;
    }
    case 'call':
      return call(walk, node.call, current);
  }
}

const PARAMETERS: ReadonlyMap<string, 'value' | 'nodes'> = new Map([
  ['length', 'value'],
  ['count', 'nodes'],
  ['value', 'nodes'],
]);

/** The library's rule for an unknown function, a wrong arity or a wrongly typed argument: false. */
function call(walk: Walk, node: Call, current: unknown): unknown {
  const parameter = PARAMETERS.get(node.name);
  if (parameter === undefined || node.args.length !== 1) return false;
  const arg = argument(walk, node.args[0], current);
  if (parameter === 'nodes') {
    if (!(arg instanceof NodeList)) return false;
    if (node.name === 'count') return arg.nodes.length;
    return arg.nodes.length === 1 ? arg.nodes[0] : NOTHING;
  }
  if (arg instanceof NodeList) return length(walk.budget, arg.nodes.length === 1 ? arg.nodes[0] : NOTHING);
  return isJsonValue(arg) ? length(walk.budget, arg) : false;
}

function argument(walk: Walk, node: Argument, current: unknown): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'nodes':
      return new NodeList(subquery(walk, node.query, current));
    case 'call':
      return call(walk, node.call, current);
    case 'logical':
      return test(walk, node.test, current);
  }
}

function isJsonValue(value: unknown): boolean {
  const type = typeof value;
  return (
    value === null ||
    type === 'string' ||
    type === 'number' ||
    type === 'boolean' ||
    Array.isArray(value) ||
    isPlainObject(value)
  );
}

/** RFC 9535 length(): code points of a string, elements of an array, members of an object. */
function length(budget: StepBudget, value: unknown): unknown {
  if (typeof value === 'string') {
    budget.chargeChars(value.length);
    let count = 0;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      // A surrogate pair is one code point.
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
        const low = value.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) i++;
      }
      count++;
    }
    return count;
  }
  if (Array.isArray(value)) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  return NOTHING;
}

/** RFC 9535 §2.3.5.2.2 comparisons, as the library decides them. */
function compare(walk: Walk, a: unknown, b: unknown, op: ComparisonOp): boolean {
  switch (op) {
    case '==':
      return equal(walk, a, b);
    case '!=':
      return !equal(walk, a, b);
    case '<':
      return less(walk, a, b);
    case '>':
      return less(walk, b, a);
    case '<=':
      return less(walk, a, b) || equal(walk, a, b);
    case '>=':
      return less(walk, b, a) || equal(walk, a, b);
  }
}

function less(walk: Walk, a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    walk.budget.chargeChars(Math.min(a.length, b.length));
    return a < b; // UTF-16 code unit order, which for strings without lone surrogates is code point order
  }
  return false;
}

/** Deep equality of JSON values, one visit per pair compared; NOTHING equals only NOTHING. */
function equal(walk: Walk, a: unknown, b: unknown): boolean {
  const pending: unknown[] = [a, b];
  while (pending.length > 0) {
    const right = pending.pop();
    const left = pending.pop();
    walk.budget.visit(1);
    if (left === right) continue;
    if (typeof left === 'string' && typeof right === 'string') {
      if (left.length !== right.length) return false;
      walk.budget.chargeChars(left.length);
      if (left !== right) return false;
      continue;
    }
    if (Array.isArray(left)) {
      if (!Array.isArray(right) || left.length !== right.length) return false;
      const l: readonly unknown[] = left;
      const r: readonly unknown[] = right;
      for (let i = 0; i < l.length; i++) pending.push(l[i], r[i]);
      continue;
    }
    if (isPlainObject(left)) {
      if (!isPlainObject(right) || Array.isArray(right)) return false;
      const keys = Object.keys(left);
      if (keys.length !== Object.keys(right).length) return false;
      for (const key of keys) {
        if (!Object.hasOwn(right, key)) return false;
        pending.push(left[key], right[key]);
      }
      continue;
    }
    return false;
  }
  return true;
}

/** Every element of an array, or value of a plain object, onto the walk's stacks at `level`; one visit each. */
function pushChildren(budget: StepBudget, value: unknown, level: number, values: unknown[], levels: number[]): void {
  if (Array.isArray(value)) {
    const list: readonly unknown[] = value;
    budget.visit(list.length);
    for (let i = 0; i < list.length; i++) {
      values.push(list[i]);
      levels.push(level);
    }
  } else if (isPlainObject(value)) {
    const keys = Object.keys(value);
    budget.visit(keys.length);
    for (const key of keys) {
      values.push(value[key]);
      levels.push(level);
    }
  }
}
