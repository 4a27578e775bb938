/**
 * A sample payload built from a JSON Schema: the required properties only, with values of the declared types,
 * formats, enums and bounds. Pure and bounded: at most MAX_DEPTH levels and MAX_NODES schema nodes visited, past
 * which it stops descending (the caller validates the result, and asks for a sample when it does not match).
 */
export const MAX_SAMPLE_DEPTH = 16;
export const MAX_SAMPLE_NODES = 2_000;

type Schema = Record<string, unknown>;

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uri: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  iri: 'https://example.com/',
  'iri-reference': 'https://example.com/',
  'uri-template': 'https://example.com/{id}',
  uuid: '00000000-0000-4000-8000-000000000000',
  'json-pointer': '/a',
  'relative-json-pointer': '0',
  regex: '.*',
  byte: 'AA==',
};

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Budget {
  private left = MAX_SAMPLE_NODES;
  take(): boolean {
    this.left -= 1;
    return this.left >= 0;
  }
}

/** Resolves a local ref (`#/$defs/x`, `#/definitions/x`, any `#/...` pointer) against the root; else undefined. */
function resolveRef(root: Schema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  return node;
}

function firstType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((t) => t !== 'null') ?? type[0]) as string | undefined;
  if (isObject(schema.properties) || Array.isArray(schema.required)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return undefined;
}

function sampleString(schema: Schema): string {
  const format = typeof schema.format === 'string' ? FORMAT_SAMPLES[schema.format] : undefined;
  let value = format ?? 'string';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (!format && value.length < min) value = value.padEnd(Math.min(min, 1_000), 'x');
  if (!format && value.length > max) value = value.slice(0, max);
  return value;
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const num = (key: string): number | undefined =>
    typeof schema[key] === 'number' ? (schema[key] as number) : undefined;
  const step = num('multipleOf');
  let value = num('minimum') ?? (num('exclusiveMinimum') !== undefined ? (num('exclusiveMinimum') as number) + 1 : 0);
  const max =
    num('maximum') ?? (num('exclusiveMaximum') !== undefined ? (num('exclusiveMaximum') as number) - 1 : undefined);
  if (max !== undefined && value > max) value = max;
  if (step) value = Math.ceil(value / step) * step;
  return integer ? Math.ceil(value) : value;
}

function merge(parts: unknown[]): unknown {
  const objects = parts.filter(isObject);
  if (objects.length === parts.length && objects.length > 0) return Object.assign({}, ...objects) as Schema;
  return parts.find((p) => p !== undefined);
}

function sample(node: unknown, root: Schema, depth: number, budget: Budget): unknown {
  if (node === true || node === undefined) return {};
  if (!isObject(node) || depth > MAX_SAMPLE_DEPTH || !budget.take()) return null;
  if (typeof node.$ref === 'string') {
    const target = resolveRef(root, node.$ref);
    const { $ref: _ref, ...rest } = node;
    void _ref;
    return sample(Object.keys(rest).length > 0 ? { ...(target as Schema), ...rest } : target, root, depth + 1, budget);
  }
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  if ('default' in node) return node.default;
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  if (Array.isArray(node.allOf)) {
    const { allOf, ...rest } = node;
    return merge([...allOf, rest].map((part) => sample(part, root, depth + 1, budget)));
  }
  for (const key of ['oneOf', 'anyOf']) {
    const options = node[key];
    if (Array.isArray(options) && options.length > 0) {
      const { [key]: _options, ...rest } = node;
      void _options;
      return sample({ ...rest, ...(options[0] as Schema) }, root, depth + 1, budget);
    }
  }
  switch (firstType(node)) {
    case 'object':
      return sampleObject(node, root, depth, budget);
    case 'array': {
      const min = typeof node.minItems === 'number' ? Math.min(node.minItems, 100) : 0;
      const prefix = Array.isArray(node.prefixItems) ? node.prefixItems : [];
      const items: unknown[] = prefix.slice(0, Math.max(min, 0)).map((p) => sample(p, root, depth + 1, budget));
      while (items.length < min) items.push(sample(node.items, root, depth + 1, budget));
      return items;
    }
    case 'string':
      return sampleString(node);
    case 'integer':
      return sampleNumber(node, true);
    case 'number':
      return sampleNumber(node, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

function sampleObject(node: Schema, root: Schema, depth: number, budget: Budget): Schema {
  const properties = isObject(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === 'string') : [];
  const out: Schema = {};
  for (const name of required) out[name] = sample(properties[name] ?? true, root, depth + 1, budget);
  return out;
}

/** The sample for a schema (the root is where `#/...` refs resolve). */
export function sampleFromSchema(schema: Record<string, unknown>): unknown {
  return sample(schema, schema, 0, new Budget());
}
