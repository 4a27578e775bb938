/**
 * RFC 9535 JSONPath via jsonpath-rfc9535 (a parser and tree walker, no eval). Plain name, index and
 * wildcard paths, the common case, are walked here from the same parsed AST, so the text is
 * parsed once per config instead of once per event; the rest go through the library.
 */
import { query as runQuery, type JsonValue } from 'jsonpath-rfc9535';
import parseJsonPath from 'jsonpath-rfc9535/parser';
import { BadUserInputError } from '../../common/errors/domain-error';
import { FilterLimitError } from './filter-engine.errors';
import { FilterLimits } from './limits';
import { isPlainObject } from './safe-values';
import { StepBudget } from './step-budget';

export interface CompiledJsonPath {
  readonly source: string;
  /** Every match in document order; one budget step per match when a budget is given. */
  select(root: unknown, budget?: StepBudget): unknown[];
  /** The single match, an array of several, or undefined for none. */
  extract(root: unknown, budget?: StepBudget): unknown;
}

type Selector =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' };

export function compileJsonPath(source: unknown, field: string): CompiledJsonPath {
  if (typeof source !== 'string') throw new BadUserInputError(field, 'JSONPath must be a string');
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
    throw new BadUserInputError(field, describeSyntaxError(error), { position: syntaxErrorOffset(error) });
  }
  checkQueryAst(ast, field);
  const simple = simpleSegments(ast);
  if (simple === null) return libraryPath(source);
  const singular = singularSteps(simple);
  if (singular !== null) return singularPath(source, singular);
  return childPath(source, simple);
}

function libraryPath(source: string): CompiledJsonPath {
  const select = (root: unknown, budget?: StepBudget): unknown[] => {
    // Payloads are parsed JSON; the library only walks plain objects and arrays.
    const matches: unknown[] = runQuery(root as JsonValue, source);
    budget?.charge(matches.length);
    return matches;
  };
  return { source, select, extract: (root, budget) => toExtracted(select(root, budget)) };
}

function toExtracted(matches: unknown[]): unknown {
  return matches.length === 0 ? undefined : matches.length === 1 ? matches[0] : matches;
}

const NOTHING: unique symbol = Symbol('nothing');
type Step = (value: unknown) => unknown;

/** Same rules as the library: names only on plain objects and own keys, indexes only on arrays. */
function singularSteps(segments: Selector[][]): Step[] | null {
  const out: Step[] = [];
  for (const segment of segments) {
    const only = segment[0];
    if (segment.length !== 1 || only.kind === 'wildcard') return null;
    if (only.kind === 'name') {
      const name = only.name;
      out.push((value) => (isPlainObject(value) && Object.hasOwn(value, name) ? value[name] : NOTHING));
    } else {
      const index = only.index;
      out.push((value) => {
        if (!Array.isArray(value)) return NOTHING;
        const at = index < 0 ? value.length + index : index;
        return at >= 0 && at < value.length ? (value[at] as unknown) : NOTHING;
      });
    }
  }
  return out;
}

/** `$.a.b[0]`: at most one match, no arrays allocated. */
function singularPath(source: string, steps: Step[]): CompiledJsonPath {
  const walk = (root: unknown): unknown => {
    let value = root;
    for (let i = 0; i < steps.length; i++) {
      value = steps[i](value);
      if (value === NOTHING) return NOTHING;
    }
    return value;
  };
  return {
    source,
    select(root, budget) {
      const value = walk(root);
      if (value === NOTHING) return [];
      budget?.charge(1);
      return [value];
    },
    extract(root, budget) {
      const value = walk(root);
      if (value === NOTHING) return undefined;
      budget?.charge(1);
      return value;
    },
  };
}

type Visitor = (value: unknown, out: unknown[]) => void;

/**
 * Child segments only, compiled to one closure per segment that hands each match to the next,
 * depth first into one array. For child segments that is also the library's order (it walks level
 * by level, and each level keeps document order).
 */
function childPath(source: string, segments: Selector[][]): CompiledJsonPath {
  let visitor: Visitor = (value, out) => {
    out.push(value);
  };
  for (let i = segments.length - 1; i >= 0; i--) visitor = segmentVisitor(segments[i], visitor);
  const first = visitor;
  const select = (root: unknown, budget?: StepBudget): unknown[] => {
    const out: unknown[] = [];
    first(root, out);
    budget?.charge(out.length);
    return out;
  };
  return { source, select, extract: (root, budget) => toExtracted(select(root, budget)) };
}

function segmentVisitor(selectors: Selector[], next: Visitor): Visitor {
  if (selectors.length === 1) return selectorVisitor(selectors[0], next);
  const each = selectors.map((selector) => selectorVisitor(selector, next));
  return (value, out) => {
    for (const visit of each) visit(value, out);
  };
}

function selectorVisitor(selector: Selector, next: Visitor): Visitor {
  switch (selector.kind) {
    case 'name': {
      const name = selector.name;
      return (value, out) => {
        if (isPlainObject(value) && Object.hasOwn(value, name)) next(value[name], out);
      };
    }
    case 'index': {
      const index = selector.index;
      return (value, out) => {
        if (!Array.isArray(value)) return;
        const at = index < 0 ? value.length + index : index;
        if (at >= 0 && at < value.length) next(value[at], out);
      };
    }
    case 'wildcard':
      return (value, out) => {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) next(value[i], out);
        } else if (isPlainObject(value)) {
          for (const key of Object.keys(value)) next(value[key], out);
        }
      };
  }
}

/** Null when the query needs the library (descendants, slices, filters). */
function simpleSegments(ast: unknown): Selector[][] | null {
  if (!isRecord(ast) || !Array.isArray(ast.segments)) return null;
  const out: Selector[][] = [];
  for (const segment of ast.segments as unknown[]) {
    if (!isRecord(segment) || segment.type !== 'ChildSegment' || !isRecord(segment.node)) return null;
    const node = segment.node;
    if (node.type === 'BracketedSelection' && Array.isArray(node.selectors)) {
      const selectors: Selector[] = [];
      for (const selector of node.selectors as unknown[]) {
        const simple = simpleSelector(selector);
        if (simple === null) return null;
        selectors.push(simple);
      }
      out.push(selectors);
    } else {
      const simple = simpleSelector(node);
      if (simple === null) return null;
      out.push([simple]);
    }
  }
  return out;
}

function simpleSelector(node: unknown): Selector | null {
  if (!isRecord(node)) return null;
  if ((node.type === 'MemberNameShorthand' || node.type === 'NameSelector') && typeof node.value === 'string') {
    return { kind: 'name', name: node.value };
  }
  if (node.type === 'IndexSelector' && typeof node.value === 'number') return { kind: 'index', index: node.value };
  if (node.type === 'WildcardSelector') return { kind: 'wildcard' };
  return null;
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
      if (inFilter) throw new BadUserInputError(field, 'JSONPath descendant segments (..) are not supported inside filter expressions');
      if (++descendants > 1) throw new BadUserInputError(field, 'JSONPath supports at most one descendant segment (..) per query');
    }
    if (type === 'FunctionExpr' && (node.name === 'match' || node.name === 'search')) {
      throw new BadUserInputError(field, `JSONPath function ${String(node.name)}() is not supported: regular expressions are not supported`);
    }
    if (type === 'FilterQuery' && isRecord(node.value) && node.value.type === 'JsonPathQuery') {
      throw new BadUserInputError(field, 'JSONPath filters may only use a singular absolute query ($.a.b), not a query returning many nodes');
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
