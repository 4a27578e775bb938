/**
 * Runtime semantics of conditions over JSON data. Nothing here calls a function taken from the
 * data or from a property lookup: operators coerce only primitives natively, and objects are
 * turned into primitives by our own rules (the ones JS would use for plain JSON values).
 */
import { ConditionRuntimeError, FilterLimitError } from './filter-engine.errors';
import { FilterLimits } from './limits';
import { StepBudget } from './step-budget';
import { STEP_COST } from './step-costs';

/** Names that lead to prototypes, constructors or accessors: never readable, even as own keys. */
export const DENIED_PROPERTIES: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toString',
  'toLocaleString',
  'valueOf',
  'call',
  'apply',
  'bind',
  'caller',
  'callee',
  'arguments',
]);

const MAX_COERCION_DEPTH = 64;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || (proto === null && !Array.isArray(value));
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  const t = typeof value;
  return t === 'object' || t === 'function' ? 'non-JSON value' : t;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/**
 * String conversion with JS results for JSON values; anything exotic is opaque. An array costs
 * a step per 64 elements and per 64 characters built, and may build at most maxStringLength.
 */
export function toStr(value: unknown, budget: StepBudget, depth = 0): string {
  if (typeof value === 'string') return value;
  if (isPrimitive(value)) return String(value);
  if (Array.isArray(value)) {
    if (depth >= MAX_COERCION_DEPTH)
      throw new ConditionRuntimeError('array is nested too deeply to convert to a string');
    let out = '';
    let charged = 0;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      if ((i & (STEP_COST.charsPerStep - 1)) === 0) budget.charge(1);
      if (item !== null && item !== undefined) out += toStr(item, budget, depth + 1);
      if (out.length > FilterLimits.maxStringLength) throwStringLimit();
      if (out.length - charged >= STEP_COST.charsPerStep) {
        budget.chargeChars(out.length - charged);
        charged = out.length;
      }
    }
    return out;
  }
  return '[object Object]';
}

/** Number(value); a string costs a step per 64 characters parsed. */
export function toNum(value: unknown, budget: StepBudget): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'symbol') throw new ConditionRuntimeError('cannot convert a symbol to a number');
  if (typeof value === 'string') {
    if (value.length > STEP_COST.charsPerStep) budget.chargeChars(value.length);
    return Number(value);
  }
  return isPrimitive(value) ? Number(value) : toNum(toStr(value, budget), budget);
}

/** ToPrimitive for our value domain: objects and arrays become their string form. */
function toPrim(value: unknown, budget: StepBudget): unknown {
  return isPrimitive(value) ? value : toStr(value, budget);
}

/** Comparing two strings scans up to the shorter one: a step per 64 characters of that. */
function chargeStrings(a: string, b: string, budget: StepBudget): void {
  const length = Math.min(a.length, b.length);
  if (length > STEP_COST.charsPerStep) budget.chargeChars(length);
}

/** a === b, with long string comparisons charged (equal lengths are compared character by character). */
export function strictEquals(a: unknown, b: unknown, budget: StepBudget): boolean {
  if (typeof a === 'string' && typeof b === 'string' && a.length === b.length) chargeStrings(a, b, budget);
  return a === b;
}

export function throwStringLimit(): never {
  throw new FilterLimitError(
    'filter',
    `string longer than ${FilterLimits.maxStringLength} characters`,
    FilterLimits.maxStringLength,
  );
}

/** a + b; a string result is checked against maxStringLength before it is built, then charged by its length. */
export function add(a: unknown, b: unknown, budget: StepBudget): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  const pa = toPrim(a, budget);
  const pb = toPrim(b, budget);
  if (typeof pa === 'string' || typeof pb === 'string') {
    const sa = toStr(pa, budget);
    const sb = toStr(pb, budget);
    const length = sa.length + sb.length;
    if (length > FilterLimits.maxStringLength) throwStringLimit();
    if (length > STEP_COST.charsPerStep) budget.chargeChars(length);
    return sa + sb;
  }
  return toNum(pa, budget) + toNum(pb, budget);
}

export function looseEquals(a: unknown, b: unknown, budget: StepBudget): boolean {
  const pa = isPrimitive(a);
  const pb = isPrimitive(b);
  if (pa && pb) {
    if (typeof a === 'string' && typeof b === 'string') return strictEquals(a, b, budget);
    // A string against a number or boolean is parsed as a number.
    if (typeof a === 'string' && a.length > STEP_COST.charsPerStep) budget.chargeChars(a.length);
    if (typeof b === 'string' && b.length > STEP_COST.charsPerStep) budget.chargeChars(b.length);
    return a == b;
  }
  if (!pa && !pb) return a === b;
  // JS never coerces an object to equal null or undefined.
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return looseEquals(toPrim(a, budget), toPrim(b, budget), budget);
}

export function compare(op: '<' | '<=' | '>' | '>=', a: unknown, b: unknown, budget: StepBudget): boolean {
  if (typeof a === 'number' && typeof b === 'number') return relational(op, a, b);
  const pa = toPrim(a, budget);
  const pb = toPrim(b, budget);
  if (typeof pa === 'string' && typeof pb === 'string') {
    chargeStrings(pa, pb, budget);
    return relational(op, pa, pb);
  }
  return relational(op, toNum(pa, budget), toNum(pb, budget));
}

function relational<T extends number | string>(op: '<' | '<=' | '>' | '>=', a: T, b: T): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** SameValueZero, as Array.prototype.includes uses. */
export function sameValueZero(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && a !== a && b !== b);
}

export function checkComputedKey(key: unknown): string | number {
  if (typeof key === 'number') return key;
  if (typeof key === 'string') {
    if (DENIED_PROPERTIES.has(key)) throw new ConditionRuntimeError(`property "${key}" is not allowed`);
    return key;
  }
  throw new ConditionRuntimeError(`a computed property key must be a number or a string, got ${typeName(key)}`);
}

/**
 * Reads own data of plain objects and arrays, and length/indexes of strings. Denied names are
 * rejected before this (statically at compile time, computed keys by checkComputedKey).
 */
export function readProperty(target: unknown, key: string | number, optional: boolean): unknown {
  if (target === null || target === undefined) {
    if (optional) return undefined;
    throw new ConditionRuntimeError(`cannot read "${String(key)}" of ${target === null ? 'null' : 'undefined'}`);
  }
  if (typeof target === 'string') {
    if (key === 'length') return target.length;
    const index = typeof key === 'number' ? key : /^(0|[1-9]\d*)$/.test(key) ? Number(key) : -1;
    return Number.isInteger(index) && index >= 0 && index < target.length ? target[index] : undefined;
  }
  if (Array.isArray(target)) {
    if (key === 'length') return target.length;
    if (typeof key === 'number') {
      return Number.isInteger(key) && key >= 0 && key < target.length ? (target[key] as unknown) : undefined;
    }
    return Object.hasOwn(target, key) ? (target[Number(key)] as unknown) : undefined;
  }
  if (isPlainObject(target)) {
    const name = typeof key === 'number' ? String(key) : key;
    return Object.hasOwn(target, name) ? target[name] : undefined;
  }
  if (typeof target === 'number' || typeof target === 'boolean') return undefined;
  throw new ConditionRuntimeError(`cannot read "${String(key)}" of a ${typeName(target)}`);
}
