/**
 * Fused leaves for matches(): the commonest leaf shapes run as one closure each, the query walk and
 * the condition together, with the same result, the same steps and the same failures (a limit or a
 * ConditionRuntimeError makes the leaf false) as path.extract() followed by condition.run(). Steps
 * that follow each other with nothing in between that can fail are charged together, which trips
 * the limit exactly when charging them one by one would. evaluate() keeps the general path;
 * fast-leaf.spec.ts compares the two.
 *
 * Each kind of leaf walks its query with its own copy of the walk: V8 keeps one property-access
 * cache per place in the code, so a walk shared by every leaf would see every name of every query
 * and fall back to its slowest lookups (see ownsPlain in json-path.ts).
 */
import {
  CompiledCondition,
  ConditionForm,
  ValueTest,
  affixMismatch,
  comparator,
  conditionFormFn,
  literalIndex,
  valueTestFn,
} from './condition-compiler';
import { CompiledJsonPath, PathShape, ownsPlain } from './json-path';
import { throwNodeLimit } from './json-path-evaluator';
import { FilterLimits } from './limits';
import { isPlainObject } from './safe-values';
import { StepBudget } from './step-budget';

export type LeafTest = (payload: unknown, budget: StepBudget) => boolean;

/** A fused closure for the leaf, or null when its query or condition is not one of the shapes. */
export function fastLeaf(path: CompiledJsonPath, condition: CompiledCondition): LeafTest | null {
  const { shape } = path;
  const { form } = condition;
  if (shape === undefined || form === undefined) return null;
  if (shape.kind === 'wildcard') return form.kind === 'each' ? eachOverWildcard(shape, form) : null;
  switch (form.kind) {
    case 'compare':
      return compareLeaf(shape.names, form);
    case 'oneOf':
      return oneOfLeaf(shape.names, form.literals);
    case 'affix':
      return affixLeaf(shape.names, form.starts, form.text);
    case 'each':
      return eachLeaf(shape.names, form);
  }
}

/*
 * The walks below are the same test as json-path.ts (isPlainObject(value) && Object.hasOwn(value,
 * name) at each name), written out as: first name, then the rest. A walk that finds nothing
 * extracts undefined and charges nothing; a match charges one step, as extract() does.
 */

function compareLeaf(names: readonly string[], test: Extract<ValueTest, { kind: 'compare' }>): LeafTest {
  const { literal, valueFirst } = test;
  const holds = comparator(test.operator);
  const count = names.length;
  const first = count > 0 ? names[0] : '';
  return (payload, budget) => {
    try {
      let value: unknown = payload;
      let found = true;
      if (count > 0) {
        if (typeof value === 'object' && value !== null && first in value && ownsPlain(value, first, first in Object.prototype)) {
          value = (value as Record<string, unknown>)[first];
          for (let i = 1; i < count && found; i++) {
            const name = names[i];
            if (typeof value === 'object' && value !== null && name in value && ownsPlain(value, name, name in Object.prototype)) {
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
      // The match, then the condition's three steps (operator, value, literal).
      budget.charge(found ? 4 : 3);
      return valueFirst ? holds(value, literal, budget) : holds(literal, value, budget);
    } catch {
      return false;
    }
  };
}

function oneOfLeaf(names: readonly string[], literals: readonly unknown[]): LeafTest {
  const upFront = literals.length + 3; // the call, the array (length + 1) and the value
  const count = names.length;
  const first = count > 0 ? names[0] : '';
  return (payload, budget) => {
    try {
      let value: unknown = payload;
      let found = true;
      if (count > 0) {
        if (typeof value === 'object' && value !== null && first in value && ownsPlain(value, first, first in Object.prototype)) {
          value = (value as Record<string, unknown>)[first];
          for (let i = 1; i < count && found; i++) {
            const name = names[i];
            if (typeof value === 'object' && value !== null && name in value && ownsPlain(value, name, name in Object.prototype)) {
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
      budget.charge(found ? upFront + 1 : upFront);
      const at = literalIndex(literals, value);
      budget.charge(at < 0 ? literals.length : at + 1); // one per element compared
      return at >= 0;
    } catch {
      return false;
    }
  };
}

function affixLeaf(names: readonly string[], starts: boolean, text: string): LeafTest {
  const count = names.length;
  const first = count > 0 ? names[0] : '';
  return (payload, budget) => {
    try {
      let value: unknown = payload;
      let found = true;
      if (count > 0) {
        if (typeof value === 'object' && value !== null && first in value && ownsPlain(value, first, first in Object.prototype)) {
          value = (value as Record<string, unknown>)[first];
          for (let i = 1; i < count && found; i++) {
            const name = names[i];
            if (typeof value === 'object' && value !== null && name in value && ownsPlain(value, name, name in Object.prototype)) {
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
      budget.charge(found ? 4 : 3); // the match, then the call, the value and the literal
      if (typeof value !== 'string') throw affixMismatch(starts, value);
      return starts ? value.startsWith(text) : value.endsWith(text);
    } catch {
      return false;
    }
  };
}

/** `$.a.b` with `v => v.some(x => …)` / every: the walk, then the condition on the one match. */
function eachLeaf(names: readonly string[], form: ConditionForm): LeafTest {
  const run = conditionFormFn(form);
  const count = names.length;
  const first = count > 0 ? names[0] : '';
  return (payload, budget) => {
    try {
      let value: unknown = payload;
      let found = true;
      if (count > 0) {
        if (typeof value === 'object' && value !== null && first in value && ownsPlain(value, first, first in Object.prototype)) {
          value = (value as Record<string, unknown>)[first];
          for (let i = 1; i < count && found; i++) {
            const name = names[i];
            if (typeof value === 'object' && value !== null && name in value && ownsPlain(value, name, name in Object.prototype)) {
              value = (value as Record<string, unknown>)[name];
            } else {
              found = false;
            }
          }
        } else {
          found = false;
        }
      }
      if (found) budget.charge(1);
      return Boolean(run(found ? value : undefined, budget));
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
function eachOverWildcard(shape: Extract<PathShape, { kind: 'wildcard' }>, form: Extract<ConditionForm, { kind: 'each' }>): LeafTest {
  const { names, item } = shape;
  const { every } = form;
  const whole = conditionFormFn(form);
  const test = valueTestFn(form.item);
  const count = names.length;
  const first = count > 0 ? names[0] : '';
  return (payload, budget) => {
    try {
      let list: unknown = payload;
      let found = true;
      if (count > 0) {
        if (typeof list === 'object' && list !== null && first in list && ownsPlain(list, first, first in Object.prototype)) {
          list = (list as Record<string, unknown>)[first];
          for (let i = 1; i < count && found; i++) {
            const name = names[i];
            if (typeof list === 'object' && list !== null && name in list && ownsPlain(list, name, name in Object.prototype)) {
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
        budget.charge(values.length);
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
        } else if (typeof element === 'object' && element !== null && item in element && ownsPlain(element, item, item in Object.prototype)) {
          if (matches++ === 0) firstMatch = (element as Record<string, unknown>)[item];
        }
      }
      if (matches > FilterLimits.maxQueryNodes) throwNodeLimit(budget);
      budget.charge(matches);
      if (matches < 2) return Boolean(whole(matches === 0 ? undefined : firstMatch, budget));
      budget.charge(2); // the call and the value, which is an array
      let seen = 0;
      for (let i = 0; i < elements.length; i++) {
        const element = elements[i];
        let value: unknown;
        if (item === null) {
          value = element;
        } else if (typeof element === 'object' && element !== null && item in element && ownsPlain(element, item, item in Object.prototype)) {
          value = seen === 0 ? firstMatch : (element as Record<string, unknown>)[item];
        } else {
          continue;
        }
        seen++;
        budget.charge(1); // the iteration
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

/** The matches of a wildcard over what is not an array, as select() finds them: a plain object's values (or their `item`). */
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
