/**
 * Text Postgres cannot keep as given: text and jsonb refuse U+0000, jsonb refuses an escaped lone surrogate,
 * and a text column would silently store U+FFFD in its place. Such input is refused at the edge instead.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `text` cannot be stored, or null when it can. Linear in the length of `text`. */
export function unstorableReason(text: string): string | null {
  const match = UNSTORABLE.exec(text);
  if (!match) return null;
  if (match[0] === '\u0000') return 'contains a NUL character (U+0000), which cannot be stored';
  const code = match[0].charCodeAt(0).toString(16).toUpperCase();
  return `contains a lone UTF-16 surrogate (U+${code}), which is not valid Unicode`;
}

/** `$.a.b[2]` style path to a JSON member, for reasons; long keys are cut. */
export function jsonPathOf(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment.length > 40 ? `${segment.slice(0, 40)}…` : segment)}]`;
  }
  return out;
}

export interface UnstorableText {
  /** Property path from the root, array indices left out (as class-validator names fields). */
  field: string;
  reason: string;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A path kept as parent links, so walking costs O(1) per node and the path is only spelled out for a refusal. */
interface PathLink {
  parent: PathLink | null;
  key: string | number;
}

function spell(link: PathLink | null): (string | number)[] {
  const out: (string | number)[] = [];
  for (let at = link; at; at = at.parent) out.push(at.key);
  return out.reverse();
}

/**
 * The first unstorable string (value or member name) in a tree of plain objects and arrays, or null. Iterative, so
 * any depth is safe. Below a value for which `isJsonRoot` is true, the field stops growing and the reason says where
 * inside that JSON value the string sits (`at $.meta.items[2]`).
 */
export function findUnstorableText(
  root: unknown,
  rootField: string,
  isJsonRoot: (value: unknown) => boolean = () => false,
): UnstorableText | null {
  interface Frame {
    value: unknown;
    field: string;
    /** undefined: not inside a JSON value; null: the JSON value itself. */
    json: PathLink | null | undefined;
  }
  const where = (json: PathLink | null | undefined): string => (json ? ` at ${jsonPathOf(spell(json))}` : '');
  const stack: Frame[] = [{ value: root, field: rootField, json: isJsonRoot(root) ? null : undefined }];
  while (stack.length > 0) {
    const { value, field, json } = stack.pop() as Frame;
    if (typeof value === 'string') {
      const reason = unstorableReason(value);
      if (reason) return { field: field || 'input', reason: `${reason}${where(json)}` };
      continue;
    }
    if (!isContainer(value)) continue;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries) {
      if (typeof key === 'string') {
        const reason = unstorableReason(key);
        if (reason) return { field: field || 'input', reason: `a member name ${reason}${where(json)}` };
      }
      const inJson = json !== undefined;
      const childField = inJson || typeof key === 'number' ? field : field ? `${field}.${key}` : key;
      const childJson = inJson ? { parent: json, key } : isJsonRoot(child) ? null : undefined;
      stack.push({ value: child, field: childField, json: childJson });
    }
  }
  return null;
}

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** `text` with every NUL and lone surrogate replaced by U+FFFD: a readable, storable view (not the exact data). */
export function replaceUnstorable(text: string): string {
  return text.replace(UNSTORABLE_ALL, '\ufffd');
}

/**
 * A copy of a JSON value with unstorable strings and member names replaced (see replaceUnstorable). Recursive: give
 * it only values already checked against MAX_JSON_DEPTH. Members are defined, so "__proto__" stays a member.
 */
export function storableCopy(value: unknown): unknown {
  if (typeof value === 'string') return replaceUnstorable(value);
  if (Array.isArray(value)) return value.map(storableCopy);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [replaceUnstorable(key), storableCopy(child)]));
}
