import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventTypeDefinition, EventTypeSource } from '../event-type-definition';
import { OperationalEventType, TEST_EVENT_TYPE } from '../platform-event-types';

/**
 * The event types that ship with the service, one JSON file each: `built-in/` (the commerce catalog and
 * webhook.test) and `operational/` (what the platform publishes about its own endpoints and deliveries).
 * `catalog.json` lists them per source, in the order they are offered (e.g. as a generic integration's codes).
 *
 * Commerce payloads are snake_case and nest the resource under its name (`order`, `product`...); money is a number
 * in major units (12.5 = 12.50 USD). Their schemas require the identifying fields and leave additionalProperties
 * open, so providers can carry extra data. Operational payloads are produced by the platform itself and are
 * camelCase, like the GraphQL API; since the platform controls their values, their schemas enforce formats.
 *
 * The files sit beside this module in src/ and, copied as nest-cli.json assets, in dist/.
 */
export const CATALOG_DIR = __dirname;

const MANIFEST = 'catalog.json';
const DIRECTORY: Record<PlatformSource, string> = {
  [EventTypeSource.BuiltIn]: 'built-in',
  [EventTypeSource.Operational]: 'operational',
};
const FIELDS = ['name', 'description', 'archived', 'schema', 'samplePayload'];

type PlatformSource = EventTypeSource.BuiltIn | EventTypeSource.Operational;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw invalid(path, error instanceof Error ? error.message : String(error));
  }
}

function readManifest(dir: string): Record<PlatformSource, string[]> {
  const manifest = readJson(join(dir, MANIFEST));
  const sources = Object.keys(DIRECTORY);
  const valid =
    isObject(manifest) &&
    Object.keys(manifest).sort().join() === [...sources].sort().join() &&
    sources.every((s) => Array.isArray(manifest[s]) && (manifest[s] as unknown[]).every((n) => typeof n === 'string'));
  if (!valid) throw new Error(`event-type catalog: ${MANIFEST} must list the names of each of ${sources.join(', ')}`);
  return manifest as Record<PlatformSource, string[]>;
}

function invalid(path: string, why: string): Error {
  return new Error(`event-type catalog: ${path}: ${why}`);
}

function readDefinition(path: string, name: string, source: PlatformSource): EventTypeDefinition {
  const data = readJson(path);
  if (!isObject(data)) throw invalid(path, 'must hold a JSON object');
  const extra = Object.keys(data).filter((key) => !FIELDS.includes(key));
  if (extra.length > 0) throw invalid(path, `unexpected ${extra.join(', ')} (a definition has ${FIELDS.join(', ')})`);
  const { description, archived, schema, samplePayload } = data;
  if (data.name !== name) throw invalid(path, `name must be "${name}", as the file is named`);
  if (typeof description !== 'string' || description === '')
    throw invalid(path, 'description must be a non-empty string');
  if (typeof archived !== 'boolean') throw invalid(path, 'archived must be true or false');
  if (!isObject(schema)) throw invalid(path, 'schema must be a JSON Schema object');
  if (!isObject(samplePayload)) throw invalid(path, 'samplePayload must be a JSON object');
  return { name, description, schema, samplePayload, archived, source };
}

/** Reads and checks every definition; a missing, unlisted or malformed file stops the boot. */
export function loadPlatformCatalog(dir: string = CATALOG_DIR): EventTypeDefinition[] {
  const manifest = readManifest(dir);
  const definitions: EventTypeDefinition[] = [];
  for (const source of Object.keys(DIRECTORY) as PlatformSource[]) {
    const listed = manifest[source];
    const files = readdirSync(join(dir, DIRECTORY[source])).filter((file) => file.endsWith('.json'));
    const unlisted = files.filter((file) => !listed.includes(file.slice(0, -'.json'.length)));
    if (unlisted.length > 0) throw new Error(`event-type catalog: ${unlisted.join(', ')} not listed in ${MANIFEST}`);
    for (const name of listed) {
      if (!files.includes(`${name}.json`))
        throw new Error(`event-type catalog: ${MANIFEST} lists ${name}, which has no file`);
      definitions.push(readDefinition(join(dir, DIRECTORY[source], `${name}.json`), name, source));
    }
  }
  const names = definitions.map((d) => d.name);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new Error(`event-type catalog: ${twice.join(', ')} defined more than once`);
  const operational = manifest[EventTypeSource.Operational];
  const expected = Object.values(OperationalEventType);
  if ([...operational].sort().join() !== [...expected].sort().join()) {
    throw new Error(`event-type catalog: the operational types must be exactly ${expected.join(', ')}`);
  }
  if (!manifest[EventTypeSource.BuiltIn].includes(TEST_EVENT_TYPE)) {
    throw new Error(`event-type catalog: ${TEST_EVENT_TYPE} must be a built-in type`);
  }
  return definitions;
}

/** Every tenant sees these; none can change them. */
export const PLATFORM_CATALOG: readonly EventTypeDefinition[] = loadPlatformCatalog();

const BY_NAME: ReadonlyMap<string, EventTypeDefinition> = new Map(PLATFORM_CATALOG.map((d) => [d.name, d]));

/** A shipped type by name. Code with a tenant asks EventTypesService; this is for the pure provider adapters. */
export function findPlatformEventType(name: string): EventTypeDefinition | undefined {
  return BY_NAME.get(name);
}
