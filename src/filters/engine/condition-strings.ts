/**
 * String and array methods on evaluated arguments. Every string method costs a step per
 * STEP_COST.charsPerStep characters it scans or builds, charged before it runs (its call already
 * cost one step); array searches cost STEP_COST.comparison per element compared, counted as they go.
 */
import { ArrayMethod, StringMethod } from './condition-ast';
import { FilterLimits } from './limits';
import { sameValueZero, throwStringLimit, toNum, toStr } from './safe-values';
import { STEP_COST } from './step-costs';
import { StepBudget } from './step-budget';

export type StringImplementation = (
  target: string,
  a: unknown,
  b: unknown,
  hasPosition: boolean,
  budget: StepBudget,
) => unknown;
export type ArrayImplementation = (
  budget: StepBudget,
  target: readonly unknown[],
  search: unknown,
  from: unknown,
  hasFrom: boolean,
) => unknown;

/** Case mapping builds a new string: over maxStringLength characters it is refused before it is built. */
function caseMapped(t: string, budget: StepBudget, upper: boolean): string {
  if (t.length > FilterLimits.maxStringLength) throwStringLimit();
  if (t.length > STEP_COST.charsPerStep) budget.chargeChars(t.length);
  const out = upper ? t.toUpperCase() : t.toLowerCase();
  // A few characters map to several ("ß" to "SS"): the result is checked too.
  if (out.length > FilterLimits.maxStringLength) throwStringLimit();
  return out;
}

function trimmed(t: string, budget: StepBudget): string {
  if (t.length > STEP_COST.charsPerStep) budget.chargeChars(t.length);
  return t.trim();
}

/** includes / indexOf scan the target for the search string. */
function searched(t: string, a: unknown, budget: StepBudget): string {
  const search = toStr(a, budget);
  if (t.length + search.length > STEP_COST.charsPerStep) budget.chargeChars(t.length + search.length);
  return search;
}

/** startsWith / endsWith compare the search string's length at most. */
function affix(a: unknown, budget: StepBudget): string {
  const search = toStr(a, budget);
  if (search.length > STEP_COST.charsPerStep) budget.chargeChars(search.length);
  return search;
}

export const STRING_IMPLEMENTATIONS: Readonly<Record<StringMethod, StringImplementation>> = {
  toLowerCase: (t, _a, _b, _p, budget) => caseMapped(t, budget, false),
  toUpperCase: (t, _a, _b, _p, budget) => caseMapped(t, budget, true),
  trim: (t, _a, _b, _p, budget) => trimmed(t, budget),
  includes: (t, a, b, p, budget) => t.includes(searched(t, a, budget), p ? toNum(b, budget) : undefined),
  startsWith: (t, a, b, p, budget) => t.startsWith(affix(a, budget), p ? toNum(b, budget) : undefined),
  endsWith: (t, a, b, p, budget) => t.endsWith(affix(a, budget), p ? toNum(b, budget) : undefined),
  indexOf: (t, a, b, p, budget) => t.indexOf(searched(t, a, budget), p ? toNum(b, budget) : undefined),
};

function startIndex(target: readonly unknown[], from: unknown, hasFrom: boolean, budget: StepBudget): number {
  let start = hasFrom ? Math.trunc(toNum(from, budget)) || 0 : 0;
  if (start < 0) start = Math.max(0, target.length + start);
  return start;
}

/** Loops rather than Array.prototype methods, so every comparison is a counted step. */
export const ARRAY_IMPLEMENTATIONS: Readonly<Record<ArrayMethod, ArrayImplementation>> = {
  includes(budget, target, search, from, hasFrom) {
    for (let i = startIndex(target, from, hasFrom, budget); i < target.length; i++) {
      budget.charge(STEP_COST.comparison);
      if (sameValueZero(target[i], search)) return true;
    }
    return false;
  },
  indexOf(budget, target, search, from, hasFrom) {
    for (let i = startIndex(target, from, hasFrom, budget); i < target.length; i++) {
      budget.charge(STEP_COST.comparison);
      if (target[i] === search) return i;
    }
    return -1;
  },
};
