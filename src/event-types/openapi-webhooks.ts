import { parse as parseYaml } from 'yaml';
import { InvalidOpenApiError } from './event-types.errors';

/** An OpenAPI document given to importEventTypes may not be larger than this. */
export const MAX_OPENAPI_BYTES = 1024 * 1024;
const COMPONENT_SCHEMAS = '#/components/schemas/';
const FIELD = 'input.openApi';

/** One webhook of the document, as the event type it becomes. */
export interface ImportedEventType {
  name: string;
  description: string;
  schema: Record<string, unknown>;
  /** The request body's example; undefined lets the caller generate one. */
  samplePayload?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodePointer(ref: string): string[] {
  return ref
    .slice(2)
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A local `#/...` ref of the document; anything else (a file, a URL) is refused, never fetched. */
function lookup(doc: Json, ref: string, where: string): unknown {
  if (!ref.startsWith('#/'))
    throw new InvalidOpenApiError(FIELD, `${where}: only local $refs (#/...) resolve: "${ref}"`);
  let node: unknown = doc;
  for (const key of decodePointer(ref)) node = isObject(node) ? node[key] : undefined;
  if (node === undefined) throw new InvalidOpenApiError(FIELD, `${where}: $ref "${ref}" points at nothing`);
  return node;
}

/** Follows a chain of `$ref`s on a non-schema object (a path item, a request body, a media type). */
function deref(doc: Json, node: unknown, where: string): unknown {
  for (let hops = 0; isObject(node) && typeof node.$ref === 'string'; hops += 1) {
    if (hops > 16) throw new InvalidOpenApiError(FIELD, `${where}: $ref chain too long`);
    node = lookup(doc, node.$ref, where);
  }
  return node;
}

/**
 * The schema with every `#/components/schemas/X` ref rewritten to `#/$defs/X` and those components (transitively)
 * copied into `$defs`, so the type's schema stands alone, cycles included. Other remote or odd refs are refused.
 */
function standalone(doc: Json, schema: Json, where: string): Json {
  const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  const defs: Json = {};
  const pending: string[] = [];
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith(COMPONENT_SCHEMAS) && !value.startsWith('#/$defs/') && value !== '#') {
          throw new InvalidOpenApiError(FIELD, `${where}: only refs into #/components/schemas resolve: "${value}"`);
        }
        if (value.startsWith(COMPONENT_SCHEMAS)) {
          const name = decodePointer(value)[2];
          if (!(name in components))
            throw new InvalidOpenApiError(FIELD, `${where}: $ref "${value}" points at nothing`);
          if (!(name in defs) && !pending.includes(name)) pending.push(name);
          out.$ref = `#/$defs/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
          continue;
        }
      }
      out[key] = rewrite(value);
    }
    return out;
  };
  const root = rewrite(schema) as Json;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    defs[name] = rewrite(components[name]);
  }
  if (Object.keys(defs).length === 0) return root;
  const ownDefs = isObject(root.$defs) ? root.$defs : {};
  return { ...root, $defs: { ...defs, ...ownDefs } };
}

function parseDocument(text: string): Json {
  const size = Buffer.byteLength(text);
  if (size > MAX_OPENAPI_BYTES) {
    throw new InvalidOpenApiError(FIELD, `is ${size} bytes; the limit is ${MAX_OPENAPI_BYTES}`);
  }
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new InvalidOpenApiError(FIELD, `is neither JSON nor YAML: ${error instanceof Error ? error.message : error}`);
  }
  if (!isObject(doc)) throw new InvalidOpenApiError(FIELD, 'must be an OpenAPI document (an object)');
  if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.1')) {
    throw new InvalidOpenApiError(FIELD, 'must be an OpenAPI 3.1 document (openapi: 3.1.x)');
  }
  if (!isObject(doc.webhooks) || Object.keys(doc.webhooks).length === 0) {
    throw new InvalidOpenApiError(FIELD, 'has no webhooks section');
  }
  return doc;
}

function exampleOf(doc: Json, media: Json, where: string): Json | undefined {
  if (isObject(media.example)) return media.example;
  if (isObject(media.examples)) {
    const first = deref(doc, Object.values(media.examples)[0], where);
    if (isObject(first) && isObject(first.value)) return first.value;
  }
  return undefined;
}

/**
 * Each entry of `webhooks` (its first operation, usually post) as an event type: the name is the key or the
 * operation's x-event-type, the description its summary or description, the schema its application/json request
 * body schema, the sample its example. Pure: reads no file and no URL.
 */
export function webhooksOf(text: string): ImportedEventType[] {
  const doc = parseDocument(text);
  const types: ImportedEventType[] = [];
  for (const [key, rawItem] of Object.entries(doc.webhooks as Json)) {
    const where = `webhooks.${key}`;
    const item = deref(doc, rawItem, where);
    const operation = isObject(item) ? Object.values(item).find(isObject) : undefined;
    if (!isObject(operation)) throw new InvalidOpenApiError(FIELD, `${where}: has no operation`);
    const body = deref(doc, operation.requestBody, `${where}.requestBody`);
    const content = isObject(body) && isObject(body.content) ? body.content : {};
    const media = deref(doc, content['application/json'], `${where}.requestBody`);
    if (!isObject(media) || !isObject(media.schema)) {
      throw new InvalidOpenApiError(FIELD, `${where}: needs an application/json request body with a schema`);
    }
    const name = typeof operation['x-event-type'] === 'string' ? operation['x-event-type'] : key;
    const described = [operation.summary, operation.description].find((d) => typeof d === 'string' && d !== '');
    types.push({
      name,
      description: (described as string | undefined) ?? name,
      schema: standalone(doc, media.schema, where),
      samplePayload: exampleOf(doc, media, where),
    });
  }
  const names = types.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new InvalidOpenApiError(FIELD, `defines event type "${twice}" more than once`);
  return types;
}
