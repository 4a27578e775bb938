/**
 * Fused leaves for matches(): the leaf shapes the bench shows to pay (bench/filters.bench.ts) run as
 * one closure each, the query walk and the condition's form together, with the same result, steps
 * and failures (a limit or a ConditionRuntimeError makes the leaf false) as path.extract() followed
 * by condition.run(). Every other leaf takes that general path; fast-leaf.spec.ts compares the two.
 *
 * Each of the three walks its query with its own copy of the walk, on purpose: V8 keeps one
 * property-access cache per place in the code, and a walk shared by leaves of different names sees
 * all of them and falls back to its slowest lookups. Measured: one shared walk took matches() from
 * ~0.27 to ~0.06 of hand-written TypeScript, below the 0.2 target (see ownsPlain in json-path.ts).
 */
import { ConditionForm, ValueTest, conditionFormFn, literalIndex, oneOfUpFront, valueTestFn } from './condition-forms';
import { comparator } from './condition-operators';
import { CompiledCondition } from './condition-compiler';
import { CompiledJsonPath, PathShape, ownsPlain } from './json-path';
import { throwNodeLimit } from './json-path-evaluator';
import { FilterLimits } from './limits';
import { isPlainObject } from './safe-values';
import { STEP_COST, leafOperandsSteps } from './step-costs';
import { StepBudget } from './step-budget';

export type LeafTest = (payload: unknown, budget: StepBudget) => boolean;

/** A fused closure for the leaf, or null when its query or condition is not one of the shapes. */
export function fastLeaf(path: CompiledJsonPath, condition: CompiledCondition): LeafTest | null {
  const { shape } = path;
  const { form } = condition;
  if (shape === undefined || form === undefined) return null;
  if (shape.kind === 'wildcard') return form.kind === 'each' ? eachOverWildcard(shape, form) : null;
  if (form.kind === 'compare') return compareLeaf(shape.names, form);
  if (form.kind === 'oneOf') return oneOfLeaf(shape.names, form.literals);
  return null;
}

/*
 * The walks below are the same test as json-path.ts (isPlainObject(value) && Object.hasOwn(value,
 * name) at each name), written out as: first name, then the rest. A walk that finds nothing
 * extracts undefined and charges nothing; a match charges STEP_COST.match, as extract() does.
 */

function compareLeaf(names: readonly string[], test: Extract<ValueTest, { kind: 'compare' }>): LeafTest {
  const { literal, valueFirst } = test;
  const holds = comparator(test.operator);
  // The condition's steps (operator, value, literal), after the match's when there is one.
  const steps = leafOperandsSteps(2);
  const matchedSteps = STEP_COST.match + steps;
  const count = names.length;
  const first = count > 0 ? names[0] : '';
  return (payload, budget) => {
    try {
      let value: unknown = payload;
      let found = true;
      if (count > 0) {
        if (
          typeof value === 'object' &&
          value !== null &&
          first in value &&
          ownsPlain(value, first, first in Object.prototype)
        ) {
          value = (value as Record<string, unknown>)[first];
          for (let i = 1; i < count && found; i++) {
            const name = names[i];
            if (
              typeof value === 'object' &&
              value !== null &&
              name in value &&
              ownsPlain(value, name, name in Object.prototype)
            ) {
              value = (value as Record<string, unknown>)[name];
            } else {
              found = false;
            }
          }
        } else {
          found = false;
        }
      }
      if (!found) value = undefined;
      budget.charge(found ? matchedSteps : steps);
      return valueFirst ? holds(value, literal, budget) : holds(literal, value, budget);
    } catch {
      return false;
    }
  };
}

function oneOfLeaf(names: readonly string[], literals: readonly unknown[]): LeafTest {
  const upFront = oneOfUpFront(literals);
  const matchedUpFront = STEP_COST.match + upFront;
  const { comparison } = STEP_COST;
  const count = names.length;
  const first = count > 0 ? names[0] : '';
  return (payload, budget) => {
    try {
      let value: unknown = payload;
      let found = true;
      if (count > 0) {
        if (
          typeof value === 'object' &&
          value !== null &&
          first in value &&
          ownsPlain(value, first, first in Object.prototype)
        ) {
          value = (value as Record<string, unknown>)[first];
          for (let i = 1; i < count && found; i++) {
            const name = names[i];
            if (
              typeof value === 'object' &&
              value !== null &&
              name in value &&
              ownsPlain(value, name, name in Object.prototype)
            ) {
              value = (value as Record<string, unknown>)[name];
            } else {
              found = false;
            }
          }
        } else {
          found = false;
        }
      }
      if (!found) value = undefined;
      budget.charge(found ? matchedUpFront : upFront);
      const at = literalIndex(literals, value);
      budget.charge(comparison * (at < 0 ? literals.length : at + 1)); // each element compared
      return at >= 0;
    } catch {
      return false;
    }
  };
}

/**
 * `$.a.b[*].c` with `v => v.some(x => …)` / every, over an array: two passes instead of an array
 * of matches. The first counts the matches, which select() charges one step each before the
 * condition runs, and reads the first; with two or more (extract() would hand over an array),
 * the second runs the condition over the same matches in the same order, reading each value as it
 * gets to it. Each value is read once, as when collecting them; payloads are parsed JSON, whose
 * properties are plain data, so nothing can change between the passes. Fewer than two matches
 * extract undefined or the match itself, and a plain object's values are collected as select()
 * does; both then go to the condition as they are. Visits and the node limit as select() too:
 * one visit per element, before the loop.
 */
function eachOverWildcard(
  shape: Extract<PathShape, { kind: 'wildcard' }>,
  form: Extract<ConditionForm, { kind: 'each' }>,
): LeafTest {
  const { names, item } = shape;
  const { every } = form;
  const whole = conditionFormFn(form);
  const test = valueTestFn(form.item);
  const { match, iteration } = STEP_COST;
  const upFront = leafOperandsSteps(1); // the call and the value, which is an array
  const count = names.length;
  const first = count > 0 ? names[0] : '';
  return (payload, budget) => {
    try {
      let list: unknown = payload;
      let found = true;
      if (count > 0) {
        if (
          typeof list === 'object' &&
          list !== null &&
          first in list &&
          ownsPlain(list, first, first in Object.prototype)
        ) {
          list = (list as Record<string, unknown>)[first];
          for (let i = 1; i < count && found; i++) {
            const name = names[i];
            if (
              typeof list === 'object' &&
              list !== null &&
              name in list &&
              ownsPlain(list, name, name in Object.prototype)
            ) {
              list = (list as Record<string, unknown>)[name];
            } else {
              found = false;
            }
          }
        } else {
          found = false;
        }
      }
      if (!found || !Array.isArray(list)) {
        const values = found ? objectValues(list, item, budget) : [];
        budget.charge(match * values.length);
        return Boolean(whole(values.length === 0 ? undefined : values.length === 1 ? values[0] : values, budget));
      }
      const elements: readonly unknown[] = list;
      budget.visit(elements.length);
      let matches = 0;
      let firstMatch: unknown = undefined;
      for (let i = 0; i < elements.length; i++) {
        const element = elements[i];
        if (item === null) {
          if (matches++ === 0) firstMatch = element;
        } else if (
          typeof element === 'object' &&
          element !== null &&
          item in element &&
          ownsPlain(element, item, item in Object.prototype)
        ) {
          if (matches++ === 0) firstMatch = (element as Record<string, unknown>)[item];
        }
      }
      if (matches > FilterLimits.maxQueryNodes) throwNodeLimit(budget);
      budget.charge(match * matches);
      if (matches < 2) return Boolean(whole(matches === 0 ? undefined : firstMatch, budget));
      budget.charge(upFront);
      let seen = 0;
      for (let i = 0; i < elements.length; i++) {
        const element = elements[i];
        let value: unknown;
        if (item === null) {
          value = element;
        } else if (
          typeof element === 'object' &&
          element !== null &&
          item in element &&
          ownsPlain(element, item, item in Object.prototype)
        ) {
          value = seen === 0 ? firstMatch : (element as Record<string, unknown>)[item];
        } else {
          continue;
        }
        seen++;
        budget.charge(iteration);
        if (test(value, budget)) {
          if (!every) return true;
        } else if (every) {
          return false;
        }
      }
      return every;
    } catch {
      return false;
    }
  };
}

/**
 * The matches of a wildcard over what is not an array, as select() finds them: a plain object's
 * values (or `item` of each).
 */
function objectValues(list: unknown, item: string | null, budget: StepBudget): unknown[] {
  const out: unknown[] = [];
  if (!isPlainObject(list)) return out;
  const keys = Object.keys(list);
  budget.visit(keys.length);
  for (const key of keys) {
    const element = list[key];
    if (item === null) out.push(element);
    else if (isPlainObject(element) && Object.hasOwn(element, item)) out.push(element[item]);
  }
  if (out.length > FilterLimits.maxQueryNodes) throwNodeLimit(budget);
  return out;
}
