/**
 * The commonest conditions, recognised on the checked AST and run without a scope: a test of the
 * value against literals, or `some` / `every` of such a test over it. Each runs with the result,
 * the steps and the errors of the interpreter on the same condition (condition-forms.spec.ts
 * compares them), charging together the steps that nothing between can fail.
 */
import { CheckedCondition, CheckedNode, ComparisonOperator } from './condition-ast';
import { literalArray } from './condition-closures';
import { comparator, isComparison } from './condition-operators';
import { ConditionRuntimeError } from './filter-engine.errors';
import { sameValueZero, typeName } from './safe-values';
import { STEP_COST, leafOperandsSteps, literalArraySteps, stringWorkSteps } from './step-costs';
import { StepBudget } from './step-budget';

/**
 * A test of one value (the condition's parameter, or a callback's item) against literals:
 * `v > 100` / `100 < v`, `["US", "CA"].includes(v)`, `v.startsWith("SKU-")` / endsWith.
 */
export type ValueTest =
  | {
      readonly kind: 'compare';
      readonly operator: ComparisonOperator;
      readonly literal: unknown;
      readonly valueFirst: boolean;
    }
  | { readonly kind: 'oneOf'; readonly literals: readonly unknown[] }
  | { readonly kind: 'affix'; readonly starts: boolean; readonly text: string };

/** A ValueTest on the parameter, or `v.some(x => test)` / `v.every(x => test)` with a ValueTest on x. */
export type ConditionForm = ValueTest | { readonly kind: 'each'; readonly every: boolean; readonly item: ValueTest };

/** The value in, the same result, steps and errors as the interpreter on the condition. */
export type ValueFn = (value: unknown, budget: StepBudget) => unknown;

/** The condition's form, or null when it is anything else. */
export function formOf(condition: CheckedCondition): ConditionForm | null {
  const { body } = condition;
  const test = valueTestOn(body, 0);
  if (test !== null || body.kind !== 'callback') return test;
  const { name, object, optional, itemSlot, indexSlot } = body;
  if ((name !== 'some' && name !== 'every') || optional || !isParam(object, 0) || itemSlot < 0 || indexSlot >= 0)
    return null;
  const item = valueTestOn(body.body, itemSlot);
  return item === null ? null : { kind: 'each', every: name === 'every', item };
}

function isParam(node: CheckedNode, slot: number): boolean {
  return node.kind === 'param' && node.slot === slot;
}

/** `node` as a ValueTest on the value in `slot`, or null. */
function valueTestOn(node: CheckedNode, slot: number): ValueTest | null {
  if (node.kind === 'binary') {
    const { operator, left, right } = node;
    if (!isComparison(operator)) return null;
    if (isParam(left, slot) && right.kind === 'literal')
      return { kind: 'compare', operator, literal: right.value, valueFirst: true };
    if (left.kind === 'literal' && isParam(right, slot))
      return { kind: 'compare', operator, literal: left.value, valueFirst: false };
    return null;
  }
  if (node.kind !== 'method' || node.optional || node.args.length !== 1) return null;
  const [arg] = node.args;
  const literals = literalArray(node.object);
  if (node.name === 'includes' && literals !== null && isParam(arg, slot)) return { kind: 'oneOf', literals };
  if ((node.name === 'startsWith' || node.name === 'endsWith') && isParam(node.object, slot)) {
    if (arg.kind === 'literal' && typeof arg.value === 'string')
      return { kind: 'affix', starts: node.name === 'startsWith', text: arg.value };
  }
  return null;
}

/** Where `literals.includes(search)` stops: the first SameValueZero match, or -1. */
export function literalIndex(literals: readonly unknown[], search: unknown): number {
  for (let i = 0; i < literals.length; i++) if (sameValueZero(literals[i], search)) return i;
  return -1;
}

/** Steps of `[…literals].includes(v)` before its comparisons: the call, the array and the value. */
export function oneOfUpFront(literals: readonly unknown[]): number {
  return STEP_COST.node + literalArraySteps(literals.length) + STEP_COST.node;
}

/** The ConditionRuntimeError startsWith()/endsWith() throw for a value that is not a string. */
export function affixMismatch(starts: boolean, value: unknown): ConditionRuntimeError {
  return new ConditionRuntimeError(`${starts ? 'startsWith' : 'endsWith'}() needs a string, got ${typeName(value)}`);
}

/** The ConditionRuntimeError some()/every() throw for a value that is not an array. */
function eachMismatch(every: boolean, value: unknown): ConditionRuntimeError {
  return new ConditionRuntimeError(`${every ? 'every' : 'some'}() needs an array, got ${typeName(value)}`);
}

export function valueTestFn(test: ValueTest): ValueFn {
  switch (test.kind) {
    case 'compare': {
      const { literal, valueFirst } = test;
      const holds = comparator(test.operator);
      const steps = leafOperandsSteps(2);
      return valueFirst
        ? (value, budget) => (budget.charge(steps), holds(value, literal, budget))
        : (value, budget) => (budget.charge(steps), holds(literal, value, budget));
    }
    case 'oneOf': {
      const { literals } = test;
      const upFront = oneOfUpFront(literals);
      const { comparison } = STEP_COST;
      return (value, budget) => {
        budget.charge(upFront);
        const at = literalIndex(literals, value);
        budget.charge(comparison * (at < 0 ? literals.length : at + 1)); // each element compared
        return at >= 0;
      };
    }
    case 'affix': {
      const { starts, text } = test;
      const steps = leafOperandsSteps(2);
      // The search string's characters, charged once the value is known to be a string.
      const scan = stringWorkSteps(text.length);
      return (value, budget) => {
        budget.charge(steps);
        if (typeof value !== 'string') throw affixMismatch(starts, value);
        if (scan > 0) budget.charge(scan);
        return starts ? value.startsWith(text) : value.endsWith(text);
      };
    }
  }
}

/** The call and the value (STEP_COST.node each), then per item an iteration and the item's test. */
export function conditionFormFn(form: ConditionForm): ValueFn {
  if (form.kind !== 'each') return valueTestFn(form);
  const item = valueTestFn(form.item);
  const { every } = form;
  const upFront = leafOperandsSteps(1);
  return (value, budget) => {
    budget.charge(upFront);
    if (!Array.isArray(value)) throw eachMismatch(every, value);
    const list: readonly unknown[] = value;
    for (let i = 0; i < list.length; i++) {
      budget.charge(STEP_COST.iteration);
      if (Boolean(item(list[i], budget)) !== every) return !every;
    }
    return every;
  };
}
