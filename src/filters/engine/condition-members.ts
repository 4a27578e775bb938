/** Property reads: own data of plain objects and arrays, and length/indexes of strings (see readProperty). */
import { Fn, tick } from './condition-scope';
import { checkComputedKey, isPlainObject, readProperty } from './safe-values';

/** `a.name`: the name was checked against DENIED_PROPERTIES at compile time. */
export function memberFn(object: Fn, name: string, optional: boolean): Fn {
  return (s) => {
    tick(s);
    const target = object(s);
    if (isPlainObject(target)) return Object.hasOwn(target, name) ? target[name] : undefined;
    return readProperty(target, name, optional);
  };
}

/** `a[key]`: the key is checked when it is known, after the optional short-circuit. */
export function computedFn(object: Fn, key: Fn, optional: boolean): Fn {
  return (s) => {
    tick(s);
    const target = object(s);
    if (optional && (target === null || target === undefined)) return undefined;
    return readProperty(target, checkComputedKey(key(s)), optional);
  };
}
