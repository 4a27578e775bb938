/**
 * Random JSON for the engine's differential specs (fast paths against general ones): seeded, so a
 * failure can be replayed, and with the values parsed JSON never holds that the walkers must still
 * treat as the general rule does.
 */
import type { JsonValue } from 'jsonpath-rfc9535';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const KEYS = ['a', 'b', 'c', 'toString', 'constructor', 'length', '0'];
const SCALARS: JsonValue[] = [
  0,
  1,
  2,
  100,
  101,
  150.5,
  -1,
  '',
  'EUR',
  'USD',
  'SKU-1',
  'SKU-',
  'x',
  '100',
  true,
  false,
  null,
];

export function jsonValue(next: () => number, depth: number): JsonValue {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const roll = next();
  if (depth <= 0 || roll < 0.35) return pick(SCALARS);
  if (roll < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => jsonValue(next, depth - 1));
  const out: Record<string, JsonValue> = {};
  for (let i = 0, n = 1 + Math.floor(next() * 4); i < n; i++) out[pick(KEYS)] = jsonValue(next, depth - 1);
  return out;
}

export class Order {
  a = 1;
  b = 'SKU-1';
}

/** Values parsed JSON never holds, which the walkers must still treat as the general rule does. */
export function oddValue(next: () => number): unknown {
  const inner = (): unknown => jsonValue(next, 2);
  switch (Math.floor(next() * 6)) {
    case 0:
      return new Order();
    case 1:
      return Object.assign(Object.create(null) as Record<string, unknown>, { a: inner(), b: inner() });
    case 2:
      return JSON.parse('{"__proto__": {"a": 5}, "b": "SKU-9"}') as unknown;
    case 3:
      return Object.assign([inner(), inner()], { b: 'x' });
    case 4:
      return { a: undefined, b: { a: new Order(), b: [new Order(), { b: 'SKU-2' }] } };
    default:
      return { a: Object.create({ b: 'inherited' }) as unknown, b: [Object.create(null) as unknown, 'SKU-3'] };
  }
}
