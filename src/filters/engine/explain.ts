import { FilterLimits } from './limits';
import { isPlainObject } from './safe-values';

export function truncate(text: string, max: number = FilterLimits.explanationPreviewChars): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A literal piece of output (bracket, comma, key) on the serialiser's stack. */
class Piece {
  constructor(readonly text: string) {}
}

/**
 * JSON of a value for an explanation, cut to ~100 characters. Our own serialiser rather than
 * JSON.stringify: it stops at the limit whatever the value's size, and it never calls toJSON or
 * anything else found in the data.
 */
export function preview(value: unknown, max: number = FilterLimits.explanationPreviewChars): string {
  if (value === undefined) return 'nothing';
  let out = '';
  const stack: unknown[] = [value];
  while (stack.length > 0 && out.length <= max) {
    const item = stack.pop();
    if (item instanceof Piece) {
      out += item.text;
    } else if (typeof item === 'string') {
      out += JSON.stringify(item.length > max ? item.slice(0, max + 1) : item);
    } else if (typeof item === 'number') {
      out += Number.isFinite(item) ? String(item) : 'null';
    } else if (typeof item === 'boolean') {
      out += String(item);
    } else if (item === null || item === undefined || typeof item === 'function' || typeof item === 'symbol') {
      out += 'null';
    } else if (typeof item === 'bigint') {
      out += String(item);
    } else if (Array.isArray(item)) {
      // Every element takes at least two characters, so more than `max` can never be shown.
      const shown = Math.min(item.length, max);
      out += '[';
      stack.push(new Piece(']'));
      for (let i = shown - 1; i >= 0; i--) {
        stack.push(item[i]);
        if (i > 0) stack.push(new Piece(','));
      }
    } else if (isPlainObject(item)) {
      const keys = Object.keys(item).slice(0, max);
      out += '{';
      stack.push(new Piece('}'));
      let last = true;
      for (let i = keys.length - 1; i >= 0; i--) {
        const member = item[keys[i]];
        if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
        if (!last) stack.push(new Piece(','));
        stack.push(member);
        stack.push(new Piece(`${JSON.stringify(keys[i])}:`));
        last = false;
      }
    } else {
      out += '"[non-JSON value]"';
    }
  }
  return truncate(out, max);
}
