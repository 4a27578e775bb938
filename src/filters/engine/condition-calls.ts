/** Calls: the whitelisted globals, string and array methods, and the callback methods. */
import { CallbackMethod, GlobalFunction, StringMethod } from './condition-ast';
import { ARRAY_IMPLEMENTATIONS, STRING_IMPLEMENTATIONS } from './condition-strings';
import { Fn, Scope, tick } from './condition-scope';
import { ConditionRuntimeError } from './filter-engine.errors';
import { toNum, toStr, typeName } from './safe-values';
import { STEP_COST } from './step-costs';

/** The call's step, then its arguments; the checker has counted them. */
export function globalFn(name: GlobalFunction, args: readonly Fn[]): Fn {
  const [arg] = args;
  switch (name) {
    case 'Number':
      return (s) => (tick(s), arg ? toNum(arg(s), s.budget) : 0);
    case 'String':
      return (s) => (tick(s), arg ? toStr(arg(s), s.budget) : '');
    case 'Boolean':
      return (s) => (tick(s), arg ? Boolean(arg(s)) : false);
    case 'Math.min':
    case 'Math.max': {
      const isMin = name === 'Math.min';
      return (s) => {
        tick(s);
        let out = isMin ? Infinity : -Infinity;
        for (const each of args) {
          const n = toNum(each(s), s.budget);
          if (n !== n) return NaN;
          out = isMin ? Math.min(out, n) : Math.max(out, n);
        }
        return out;
      };
    }
    case 'Math.abs':
      return (s) => (tick(s), Math.abs(toNum(arg(s), s.budget)));
    case 'Math.round':
      return (s) => (tick(s), Math.round(toNum(arg(s), s.budget)));
    case 'Array.isArray':
      return (s) => (tick(s), Array.isArray(arg(s)));
    case 'Date.parse':
      return (s) => {
        tick(s);
        const text = toStr(arg(s), s.budget);
        if (text.length > STEP_COST.charsPerStep) s.budget.chargeChars(text.length);
        return Date.parse(text);
      };
  }
}

/** The call's step, the target, then the arguments; what runs depends on the target's type. */
export function methodFn(name: StringMethod, object: Fn, args: readonly Fn[], optional: boolean): Fn {
  const onString = STRING_IMPLEMENTATIONS[name];
  const onArray = name === 'includes' || name === 'indexOf' ? ARRAY_IMPLEMENTATIONS[name] : undefined;
  const first = args.length > 0 ? args[0] : undefined;
  const second = args.length > 1 ? args[1] : undefined;
  const hasSecond = second !== undefined;
  const mismatch = `${name}() needs ${onArray ? 'a string or an array' : 'a string'}, got `;
  return (s) => {
    tick(s);
    const target = object(s);
    if (optional && (target === null || target === undefined)) return undefined;
    const a = first === undefined ? undefined : first(s);
    const b = second === undefined ? undefined : second(s);
    if (typeof target === 'string') return onString(target, a, b, hasSecond, s.budget);
    if (onArray !== undefined && Array.isArray(target)) return onArray(s.budget, target, a, b, hasSecond);
    throw new ConditionRuntimeError(`${mismatch}${typeName(target)}`);
  };
}

/**
 * One closure per method, with the callback's step, parameters and body inline in the loop: the
 * call's step, the target, then per item STEP_COST.iteration and the body's steps.
 */
export function callbackFn(
  name: CallbackMethod,
  object: Fn,
  optional: boolean,
  itemSlot: number,
  indexSlot: number,
  body: Fn,
): Fn {
  const items = (s: Scope): readonly unknown[] | undefined => {
    tick(s);
    const target = object(s);
    if (optional && (target === null || target === undefined)) return undefined;
    if (!Array.isArray(target)) throw new ConditionRuntimeError(`${name}() needs an array, got ${typeName(target)}`);
    return target;
  };
  /** Binds the item (and index) for one iteration, after its step. */
  const bind = (s: Scope, item: unknown, index: number): void => {
    s.budget.charge(STEP_COST.iteration);
    if (itemSlot >= 0) s.vars[itemSlot] = item;
    if (indexSlot >= 0) s.vars[indexSlot] = index;
  };
  switch (name) {
    case 'some':
      return (s) => {
        const list = items(s);
        if (list === undefined) return undefined;
        for (let i = 0; i < list.length; i++) {
          bind(s, list[i], i);
          if (body(s)) return true;
        }
        return false;
      };
    case 'every':
      return (s) => {
        const list = items(s);
        if (list === undefined) return undefined;
        for (let i = 0; i < list.length; i++) {
          bind(s, list[i], i);
          if (!body(s)) return false;
        }
        return true;
      };
    case 'find':
      return (s) => {
        const list = items(s);
        if (list === undefined) return undefined;
        for (let i = 0; i < list.length; i++) {
          bind(s, list[i], i);
          if (body(s)) return list[i];
        }
        return undefined;
      };
    case 'filter':
      return (s) => {
        const list = items(s);
        if (list === undefined) return undefined;
        const out: unknown[] = [];
        for (let i = 0; i < list.length; i++) {
          bind(s, list[i], i);
          if (body(s)) out.push(list[i]);
        }
        return out;
      };
    case 'map':
      return (s) => {
        const list = items(s);
        if (list === undefined) return undefined;
        const out = new Array<unknown>(list.length);
        for (let i = 0; i < list.length; i++) {
          bind(s, list[i], i);
          out[i] = body(s);
        }
        return out;
      };
  }
}
