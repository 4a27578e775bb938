/**
 * RFC 9535 JSONPath, parsed by jsonpath-rfc9535's parser (no eval) once per config. Plain name and
 * index paths, and `$.a.b[*]` / `$.a.b[*].c`, the common cases, are walked here by written-out
 * walkers; every other query runs on our own evaluator (json-path-evaluator.ts), which charges
 * each node it touches to the budget as it goes. The library's query() is never run on a payload:
 * it builds every match before anything can count them.
 */
import parseJsonPath from 'jsonpath-rfc9535/parser';
import { FilterLimitError, JsonPathNotAllowedError, JsonPathSyntaxError } from './filter-engine.errors';
import { PathSegment, evaluateSegments, throwNodeLimit, toSegments, unionFactor } from './json-path-evaluator';
import { FilterLimits } from './limits';
import { isPlainObject } from './safe-values';
import { StepBudget } from './step-budget';
import { STEP_COST } from './step-costs';

export interface CompiledJsonPath {
  readonly source: string;
  /**
   * Every match in document order; one budget step per match, and one visit per node walked past
   * (a query of names and indexes only walks at most its own length, and costs its match alone).
   * Without a budget, a fresh one with the default limits: no walk is ever unbounded.
   */
  select(root: unknown, budget?: StepBudget): unknown[];
  /** The single match, an array of several, or undefined for none. */
  extract(root: unknown, budget?: StepBudget): unknown;
  /** Set for the shapes fast-leaf.ts walks itself; the same matches and steps as select(). */
  readonly shape?: PathShape;
}

/**
 * `$.a.b` (names only: at most one match) or `$.a.b[*]` / `$.a.b[*].c` (names, then every element
 * of an array or value of a plain object, then optionally one name on each).
 */
export type PathShape =
  | { readonly kind: 'singular'; readonly names: readonly string[] }
  | { readonly kind: 'wildcard'; readonly names: readonly string[]; readonly item: string | null };

type Selector = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

export function compileJsonPath(source: unknown, field: string): CompiledJsonPath {
  if (typeof source !== 'string') throw new JsonPathSyntaxError(field, 'JSONPath must be a string');
  if (source.length > FilterLimits.maxQueryLength) {
    throw new FilterLimitError(
      field,
      `JSONPath is ${source.length} characters long; the limit is ${FilterLimits.maxQueryLength}`,
      FilterLimits.maxQueryLength,
    );
  }
  checkBracketDepth(source, field);
  let ast: unknown;
  try {
    ast = parseJsonPath(source);
  } catch (error) {
    throw new JsonPathSyntaxError(field, describeSyntaxError(error), { position: syntaxErrorOffset(error) });
  }
  checkQueryAst(ast, field);
  const segments = toSegments(isRecord(ast) ? ast.segments : undefined, field);
  const factor = unionFactor(segments);
  if (factor > FilterLimits.maxQueryNodes) {
    throw new FilterLimitError(
      field,
      `JSONPath unions can make up to ${factor} nodes of one node; the limit is ${FilterLimits.maxQueryNodes} nodes per query`,
      FilterLimits.maxQueryNodes,
    );
  }
  const simple = simpleSegments(segments);
  if (simple !== null) {
    const singular = singularSelectors(simple);
    if (singular !== null) {
      const names = namesOnly(singular);
      return singularPath(source, singularWalk(singular), names === null ? undefined : { kind: 'singular', names });
    }
    const wildcard = wildcardShape(simple);
    if (wildcard !== null) return wildcardPath(source, wildcard.collect, wildcard.shape);
  }
  return generalPath(source, segments);
}

function generalPath(source: string, segments: readonly PathSegment[]): CompiledJsonPath {
  const select = (root: unknown, budget?: StepBudget): unknown[] =>
    evaluateSegments(segments, root, budget ?? new StepBudget(), true);
  return { source, select, extract: (root, budget) => toExtracted(select(root, budget)) };
}

function toExtracted(matches: unknown[]): unknown {
  return matches.length === 0 ? undefined : matches.length === 1 ? matches[0] : matches;
}

const NOTHING: unique symbol = Symbol('nothing');
/** The match of a singular walk, or NOTHING. */
type Walk = (root: unknown) => unknown;

/**
 * The rest of "is `name` an own property of the plain object `value`", for a caller that has
 * already checked, inline, `typeof value === 'object' && value !== null && name in value`. Same
 * answer as isPlainObject(value) && Object.hasOwn(value, name): knowing `name in value`, a plain
 * object owns `name` unless Object.prototype has it too (then only Object.hasOwn can tell), and a
 * null-prototype object owns whatever it has. `onObjectPrototype` is `name in Object.prototype`,
 * evaluated by the caller at run time, so a polluted Object.prototype is still seen.
 *
 * Why the split: `in` is the check that usually fails first, and V8 records the object's shape at
 * the `in`, which lets it fold Object.getPrototypeOf here into a constant. That only pays off
 * when the `in` sits in the walker's own code (a shared helper would share V8's per-site caches
 * between every name of every path), so the hot walkers below spell it out at each step. `in`
 * reads no property values and runs no getters; it only looks keys up along the prototype chain
 * (a Proxy there, which parsed JSON never holds, would see a `has` call).
 */
export function ownsPlain(value: object, name: string, onObjectPrototype: boolean): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype) return !onObjectPrototype || Object.hasOwn(value, name);
  return proto === null && !Array.isArray(value);
}

/** isPlainObject(value) && Object.hasOwn(value, name) ? value[name] : NOTHING */
function ownName(value: unknown, name: string): unknown {
  if (
    typeof value !== 'object' ||
    value === null ||
    !(name in value) ||
    !ownsPlain(value, name, name in Object.prototype)
  )
    return NOTHING;
  return (value as Record<string, unknown>)[name];
}

function atIndex(value: unknown, index: number): unknown {
  if (!Array.isArray(value)) return NOTHING;
  const at = index < 0 ? value.length + index : index;
  return at >= 0 && at < value.length ? (value[at] as unknown) : NOTHING;
}

/** Same rules as the library: names only on plain objects and own keys, indexes only on arrays. */
function singularSelectors(segments: Selector[][]): Array<Exclude<Selector, { kind: 'wildcard' }>> | null {
  const out: Array<Exclude<Selector, { kind: 'wildcard' }>> = [];
  for (const segment of segments) {
    const only = segment[0];
    if (segment.length !== 1 || only.kind === 'wildcard') return null;
    out.push(only);
  }
  return out;
}

/**
 * `$.a.b[0]`: at most one match, no arrays allocated. Chains of one to three names, the usual
 * filter query, get a walker with each step written out (see ownsPlain for why).
 */
function singularWalk(steps: ReadonlyArray<Exclude<Selector, { kind: 'wildcard' }>>): Walk {
  const names: string[] = [];
  for (const step of steps) if (step.kind === 'name') names.push(step.name);
  if (names.length === steps.length) {
    switch (names.length) {
      case 0:
        return (root) => root;
      case 1:
        return walkName(names[0]);
      case 2:
        return walkNames2(names[0], names[1]);
      case 3:
        return walkNames3(names[0], names[1], names[2]);
    }
  }
  return (root) => {
    let value = root;
    for (let i = 0; i < steps.length && value !== NOTHING; i++) {
      const step = steps[i];
      value = step.kind === 'name' ? ownName(value, step.name) : atIndex(value, step.index);
    }
    return value;
  };
}

function walkName(a: string): Walk {
  return (v0) => {
    if (typeof v0 !== 'object' || v0 === null || !(a in v0) || !ownsPlain(v0, a, a in Object.prototype)) return NOTHING;
    return (v0 as Record<string, unknown>)[a];
  };
}

function walkNames2(a: string, b: string): Walk {
  return (v0) => {
    if (typeof v0 !== 'object' || v0 === null || !(a in v0) || !ownsPlain(v0, a, a in Object.prototype)) return NOTHING;
    const v1: unknown = (v0 as Record<string, unknown>)[a];
    if (typeof v1 !== 'object' || v1 === null || !(b in v1) || !ownsPlain(v1, b, b in Object.prototype)) return NOTHING;
    return (v1 as Record<string, unknown>)[b];
  };
}

function walkNames3(a: string, b: string, c: string): Walk {
  return (v0) => {
    if (typeof v0 !== 'object' || v0 === null || !(a in v0) || !ownsPlain(v0, a, a in Object.prototype)) return NOTHING;
    const v1: unknown = (v0 as Record<string, unknown>)[a];
    if (typeof v1 !== 'object' || v1 === null || !(b in v1) || !ownsPlain(v1, b, b in Object.prototype)) return NOTHING;
    const v2: unknown = (v1 as Record<string, unknown>)[b];
    if (typeof v2 !== 'object' || v2 === null || !(c in v2) || !ownsPlain(v2, c, c in Object.prototype)) return NOTHING;
    return (v2 as Record<string, unknown>)[c];
  };
}

function namesOnly(steps: ReadonlyArray<Exclude<Selector, { kind: 'wildcard' }>>): string[] | null {
  const names: string[] = [];
  for (const step of steps) {
    if (step.kind !== 'name') return null;
    names.push(step.name);
  }
  return names;
}

function singularPath(source: string, walk: Walk, shape: PathShape | undefined): CompiledJsonPath {
  return {
    source,
    ...(shape === undefined ? {} : { shape }),
    select(root, budget) {
      const value = walk(root);
      if (value === NOTHING) return [];
      budget?.charge(STEP_COST.match);
      return [value];
    },
    extract(root, budget) {
      const value = walk(root);
      if (value === NOTHING) return undefined;
      budget?.charge(STEP_COST.match);
      return value;
    },
  };
}

type Collect = (root: unknown, out: unknown[], budget: StepBudget | undefined) => void;

/**
 * `$.a.b[*]` and `$.a.b[*].c`, the usual many-match filter queries: a singular walk, then each
 * element of an array (or value of a plain object), then optionally one name on each. One visit
 * per element, charged before the loop; a result over maxQueryNodes is refused.
 */
function wildcardCollect(prefix: Walk, name: string | null): Collect {
  if (name === null) {
    return (root, out, budget) => {
      const list = prefix(root);
      if (Array.isArray(list)) {
        budget?.visit(list.length);
        if (list.length > FilterLimits.maxQueryNodes) throwNodeLimit(budget);
        for (let i = 0; i < list.length; i++) out.push(list[i]);
      } else if (isPlainObject(list)) {
        const keys = Object.keys(list);
        budget?.visit(keys.length);
        if (keys.length > FilterLimits.maxQueryNodes) throwNodeLimit(budget);
        for (const key of keys) out.push(list[key]);
      }
    };
  }
  return (root, out, budget) => {
    const list = prefix(root);
    if (Array.isArray(list)) {
      budget?.visit(list.length);
      for (let i = 0; i < list.length; i++) {
        const item: unknown = list[i];
        if (
          typeof item === 'object' &&
          item !== null &&
          name in item &&
          ownsPlain(item, name, name in Object.prototype)
        ) {
          out.push((item as Record<string, unknown>)[name]);
        }
      }
    } else if (isPlainObject(list)) {
      const keys = Object.keys(list);
      budget?.visit(keys.length);
      for (const key of keys) {
        const item = ownName(list[key], name);
        if (item !== NOTHING) out.push(item);
      }
    }
    if (out.length > FilterLimits.maxQueryNodes) throwNodeLimit(budget);
  };
}

/** [singular steps…, wildcard] or [singular steps…, wildcard, name]; null for other shapes. */
function wildcardShape(segments: Selector[][]): { collect: Collect; shape: PathShape | undefined } | null {
  const at = segments.findIndex((segment) => segment.length === 1 && segment[0].kind === 'wildcard');
  if (at < 0) return null;
  const prefix = singularSelectors(segments.slice(0, at));
  const rest = segments.slice(at + 1);
  if (prefix === null || rest.length > 1) return null;
  let name: string | null = null;
  if (rest.length === 1) {
    const only = rest[0][0];
    if (rest[0].length !== 1 || only.kind !== 'name') return null;
    name = only.name;
  }
  const names = namesOnly(prefix);
  return {
    collect: wildcardCollect(singularWalk(prefix), name),
    shape: names === null ? undefined : { kind: 'wildcard', names, item: name },
  };
}

function wildcardPath(source: string, collect: Collect, shape: PathShape | undefined): CompiledJsonPath {
  const select = (root: unknown, budget?: StepBudget): unknown[] => {
    const out: unknown[] = [];
    collect(root, out, budget);
    budget?.charge(STEP_COST.match * out.length);
    return out;
  };
  return {
    source,
    select,
    extract: (root, budget) => toExtracted(select(root, budget)),
    ...(shape === undefined ? {} : { shape }),
  };
}

/** Child segments of names, indexes and wildcards only; null for anything else. */
function simpleSegments(segments: readonly PathSegment[]): Selector[][] | null {
  const out: Selector[][] = [];
  for (const segment of segments) {
    if (segment.descendant) return null;
    const selectors: Selector[] = [];
    for (const selector of segment.selectors) {
      if (selector.kind !== 'name' && selector.kind !== 'index' && selector.kind !== 'wildcard') return null;
      selectors.push(selector);
    }
    out.push(selectors);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Keeps every query linear in the payload: one descendant segment at most, none inside filter
 * expressions, no absolute non-singular queries inside filters, and no regex functions (I-Regexp
 * patterns run on a backtracking engine).
 */
function checkQueryAst(ast: unknown, field: string): void {
  let descendants = 0;
  const stack: Array<{ node: unknown; depth: number; inFilter: boolean }> = [{ node: ast, depth: 0, inFilter: false }];
  while (stack.length > 0) {
    const { node, depth, inFilter } = stack.pop() as { node: unknown; depth: number; inFilter: boolean };
    if (!isRecord(node)) continue;
    if (depth > FilterLimits.maxQueryAstDepth) {
      throw new FilterLimitError(field, 'JSONPath expression is nested too deeply', FilterLimits.maxQueryAstDepth);
    }
    const type = node.type;
    if (type === 'DescendantSegment') {
      if (inFilter)
        throw new JsonPathNotAllowedError(
          field,
          'JSONPath descendant segments (..) are not supported inside filter expressions',
        );
      if (++descendants > 1)
        throw new JsonPathNotAllowedError(field, 'JSONPath supports at most one descendant segment (..) per query');
    }
    if (type === 'FunctionExpr' && (node.name === 'match' || node.name === 'search')) {
      throw new JsonPathNotAllowedError(
        field,
        `JSONPath function ${String(node.name)}() is not supported: regular expressions are not supported`,
      );
    }
    if (type === 'FilterQuery' && isRecord(node.value) && node.value.type === 'JsonPathQuery') {
      throw new JsonPathNotAllowedError(
        field,
        'JSONPath filters may only use a singular absolute query ($.a.b), not a query returning many nodes',
      );
    }
    const childInFilter = inFilter || type === 'FilterSelector';
    for (const child of Object.values(node)) {
      if (Array.isArray(child)) {
        for (const item of child) stack.push({ node: item, depth: depth + 1, inFilter: childInFilter });
      } else if (isRecord(child)) {
        stack.push({ node: child, depth: depth + 1, inFilter: childInFilter });
      }
    }
  }
}

/** Bounds the parser's recursion before it runs. */
function checkBracketDepth(source: string, field: string): void {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '"' || ch === "'") {
      for (i++; i < source.length && source[i] !== ch; i++) if (source[i] === '\\') i++;
    } else if (ch === '(' || ch === '[') {
      if (++depth > FilterLimits.maxConditionDepth) {
        throw new FilterLimitError(
          field,
          `JSONPath brackets are nested deeper than ${FilterLimits.maxConditionDepth} levels (at position ${i})`,
          FilterLimits.maxConditionDepth,
        );
      }
    } else if (ch === ')' || ch === ']') {
      depth--;
    }
  }
}

function syntaxErrorOffset(error: unknown): number | undefined {
  if (!isRecord(error) || !isRecord(error.location) || !isRecord(error.location.start)) return undefined;
  const offset = error.location.start.offset;
  return typeof offset === 'number' ? offset : undefined;
}

function describeSyntaxError(error: unknown): string {
  const offset = syntaxErrorOffset(error);
  let message = error instanceof Error ? error.message : 'syntax error';
  if (message.length > 160) message = `${message.slice(0, 160)}…`;
  return offset === undefined ? `invalid JSONPath: ${message}` : `invalid JSONPath at position ${offset}: ${message}`;
}
