/**
 * Filter trees: leaves pair a JSONPath query with a condition, nodes combine children with
 * AND / OR. Evaluation never throws for bad data: a failing condition makes its leaf false and
 * the explanation says why. Compilation throws a BadUserInputError naming the failing node.
 */
import { CompiledCondition, compileCondition } from './condition-compiler';
import { preview, truncate } from './explain';
import { FilterLimitError, FilterShapeError, errorReason } from './filter-engine.errors';
import { fastLeaf } from './fast-leaf';
import { CompiledJsonPath, compileJsonPath } from './json-path';
import { FilterLimits } from './limits';
import { StepBudget } from './step-budget';

export interface FilterNode {
  query?: string | null;
  condition?: string | null;
  logic?: 'AND' | 'OR' | null;
  conditions?: FilterNode[] | null;
}

export interface FilterEvaluation {
  result: boolean;
  explanation: string;
  /** The first limit a leaf hit (that leaf counted as false), for callers that refuse such a filter. */
  limit?: FilterLimitError;
}

export interface CompiledFilter {
  /** The result and, in words, the leaf that decided it. */
  evaluate(payload: unknown): FilterEvaluation;
  /** The same result without building the explanation: for the delivery hot path. */
  /** `budget` lets the caller see afterwards whether a limit made a leaf false (budget.breached). */
  matches(payload: unknown, budget?: StepBudget): boolean;
}

interface LeafOutcome {
  readonly kind: 'leaf';
  readonly passed: boolean;
  readonly leaf: Leaf;
  readonly extracted: unknown;
  readonly returned?: unknown;
  readonly error?: string;
  /** The query itself failed (a limit), so there is no extracted value to show. */
  readonly queryFailed?: boolean;
}

interface GroupOutcome {
  readonly kind: 'group';
  readonly passed: boolean;
  readonly group: Group;
  /** The child that decided the result (the last one when every child agreed). */
  readonly index: number;
  readonly child?: Outcome;
}

type Outcome = LeafOutcome | GroupOutcome;

interface Leaf {
  readonly kind: 'leaf';
  readonly path: CompiledJsonPath | null;
  readonly condition: CompiledCondition | null;
  /** Truncated query and condition text, computed once for explanations. */
  readonly queryLabel: string;
  readonly conditionLabel: string;
}

interface Group {
  readonly kind: 'group';
  readonly logic: 'AND' | 'OR';
  readonly children: readonly CompiledNode[];
}

type CompiledNode = Leaf | Group;

const NODE_KEYS = new Set(['query', 'condition', 'logic', 'conditions']);

export function compileFilter(node: FilterNode): CompiledFilter {
  const counter = { nodes: 0 };
  const root = compileNode(node, 'filter', 1, counter);
  const test = compileTest(root);
  return {
    evaluate(payload) {
      const run: Run = { budget: new StepBudget() };
      const outcome = trace(root, payload, run);
      const evaluation: FilterEvaluation = { result: outcome.passed, explanation: explain(outcome, payload) };
      if (run.limit !== undefined) evaluation.limit = run.limit;
      return evaluation;
    },
    matches(payload, budget = new StepBudget()) {
      return test(payload, budget);
    },
  };
}

/** Recursion is bounded: the depth is checked before descending. */
function compileNode(node: unknown, field: string, depth: number, counter: { nodes: number }): CompiledNode {
  if (depth > FilterLimits.maxFilterDepth) {
    throw new FilterLimitError(
      field,
      `filter is nested deeper than ${FilterLimits.maxFilterDepth} levels`,
      FilterLimits.maxFilterDepth,
    );
  }
  if (++counter.nodes > FilterLimits.maxFilterNodes) {
    throw new FilterLimitError(
      field,
      `filter has more than ${FilterLimits.maxFilterNodes} nodes`,
      FilterLimits.maxFilterNodes,
    );
  }
  // Any object, not only plain ones: a validation pipe may hand over input class instances.
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new FilterShapeError(field, 'must be an object with query/condition or logic/conditions');
  }
  for (const key of Object.keys(node)) {
    if (!NODE_KEYS.has(key)) {
      throw new FilterShapeError(
        field,
        `unknown field "${truncate(key, 40)}"; expected query, condition, logic or conditions`,
      );
    }
  }
  const { query, condition, logic, conditions } = node as Record<string, unknown>;
  if (logic !== undefined && logic !== null && logic !== 'AND' && logic !== 'OR') {
    throw new FilterShapeError(`${field}.logic`, 'must be AND or OR');
  }
  const isLeaf = (query !== undefined && query !== null) || (condition !== undefined && condition !== null);
  if (isLeaf) {
    if (conditions !== undefined && conditions !== null) {
      throw new FilterShapeError(field, 'a node has either query/condition (a leaf) or conditions (a group), not both');
    }
    const path = query === undefined || query === null ? null : compileJsonPath(query, `${field}.query`);
    const compiled =
      condition === undefined || condition === null ? null : compileCondition(condition, `${field}.condition`);
    return {
      kind: 'leaf',
      path,
      condition: compiled,
      queryLabel: path === null ? '' : truncate(path.source),
      conditionLabel: compiled === null ? '' : truncate(compiled.source),
    };
  }
  if (conditions !== undefined && conditions !== null && !Array.isArray(conditions)) {
    throw new FilterShapeError(`${field}.conditions`, 'must be a list of filter nodes');
  }
  const list: readonly unknown[] = conditions ?? [];
  return {
    kind: 'group',
    logic: logic ?? 'AND',
    children: list.map((child, i) => compileNode(child, `${field}.conditions[${i}]`, depth + 1, counter)),
  };
}

/** Result only: the tree as closures, no allocation per node. Must agree with trace(): same leaf rules. */
type Test = (payload: unknown, budget: StepBudget) => boolean;

/** Recursion is bounded by compileNode's depth check. */
function compileTest(node: CompiledNode): Test {
  if (node.kind === 'leaf') return leafTest(node);
  const children = node.children.map(compileTest);
  const stopOn = node.logic === 'OR';
  return (payload, budget) => {
    for (let i = 0; i < children.length; i++) if (children[i](payload, budget) === stopOn) return stopOn;
    return !stopOn;
  };
}

/** Type mismatches and limits make the leaf false; trace() says why. */
function leafTest(leaf: Leaf): Test {
  const { path, condition } = leaf;
  if (condition === null) {
    if (path === null) return (payload) => payload !== undefined; // as trace(); compileNode never builds one
    return (payload, budget) => {
      try {
        return path.extract(payload, budget) !== undefined;
      } catch {
        return false;
      }
    };
  }
  if (path === null) {
    return (payload, budget) => {
      try {
        return Boolean(condition.run(payload, budget));
      } catch {
        return false;
      }
    };
  }
  const fast = fastLeaf(path, condition);
  if (fast !== null) return fast;
  return (payload, budget) => {
    try {
      return Boolean(condition.run(path.extract(payload, budget), budget));
    } catch {
      return false;
    }
  };
}

/** One evaluate(): the shared budget, and the first limit error a leaf swallowed. */
interface Run {
  readonly budget: StepBudget;
  limit?: FilterLimitError;
}

function trace(node: CompiledNode, payload: unknown, run: Run): Outcome {
  if (node.kind === 'leaf') return traceLeaf(node, payload, run);
  const stopOn = node.logic === 'OR';
  let last: Outcome | undefined;
  for (let i = 0; i < node.children.length; i++) {
    last = trace(node.children[i], payload, run);
    if (last.passed === stopOn) return { kind: 'group', passed: stopOn, group: node, index: i, child: last };
  }
  return { kind: 'group', passed: !stopOn, group: node, index: node.children.length - 1, child: last };
}

function traceLeaf(leaf: Leaf, payload: unknown, run: Run): LeafOutcome {
  const { budget } = run;
  let extracted: unknown = payload;
  if (leaf.path !== null) {
    try {
      extracted = leaf.path.extract(payload, budget);
    } catch (error) {
      noteLimit(run, error);
      return { kind: 'leaf', passed: false, leaf, extracted: undefined, error: errorReason(error), queryFailed: true };
    }
  }
  if (leaf.condition === null) return { kind: 'leaf', passed: extracted !== undefined, leaf, extracted };
  try {
    const returned = leaf.condition.run(extracted, budget);
    return { kind: 'leaf', passed: Boolean(returned), leaf, extracted, returned };
  } catch (error) {
    noteLimit(run, error);
    return { kind: 'leaf', passed: false, leaf, extracted, error: errorReason(error) };
  }
}

function noteLimit(run: Run, error: unknown): void {
  if (run.limit === undefined && error instanceof FilterLimitError) run.limit = error;
}

function explain(outcome: Outcome, payload: unknown): string {
  return outcome.kind === 'leaf' ? explainLeaf(outcome, payload) : explainGroup(outcome, payload);
}

function explainGroup(outcome: GroupOutcome, payload: unknown): string {
  const { logic, children } = outcome.group;
  if (outcome.child === undefined) {
    return logic === 'AND'
      ? 'AND passed: no conditions (an empty AND is true)'
      : 'OR failed: no conditions (an empty OR is false)';
  }
  const child = explain(outcome.child, payload);
  const at = `conditions[${outcome.index}]`;
  if (logic === 'AND') {
    return outcome.passed
      ? `AND passed: all ${children.length} conditions were true, the last at ${at}: ${child}`
      : `AND failed at ${at}: ${child}`;
  }
  return outcome.passed
    ? `OR passed at ${at}: ${child}`
    : `OR failed: none of ${children.length} conditions were true, the last at ${at}: ${child}`;
}

function explainLeaf(outcome: LeafOutcome, payload: unknown): string {
  const { path, condition, queryLabel, conditionLabel } = outcome.leaf;
  if (path !== null && outcome.queryFailed === true) return `${queryLabel} failed (counted as false): ${outcome.error}`;
  if (condition === null) {
    return outcome.passed ? `${queryLabel} matched ${preview(outcome.extracted)}` : `${queryLabel} matched nothing`;
  }
  const subject =
    path === null ? `the payload ${preview(payload)}` : `${queryLabel} extracted ${preview(outcome.extracted)}`;
  if (outcome.error !== undefined) return `${subject}, ${conditionLabel} failed (counted as false): ${outcome.error}`;
  const returned = outcome.returned;
  const shown =
    typeof returned === 'boolean' ? String(returned) : `${preview(returned)} (${outcome.passed ? 'truthy' : 'falsy'})`;
  return `${subject}, ${conditionLabel} returned ${shown}`;
}
