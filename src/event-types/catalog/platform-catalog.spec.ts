import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventTypeSource } from '../event-type-definition';
import { OperationalEventType, TEST_EVENT_TYPE } from '../platform-event-types';
import { PayloadValidator } from '../payload-validator';
import { CATALOG_DIR, findPlatformEventType, loadPlatformCatalog, PLATFORM_CATALOG } from './platform-catalog';

const COMMERCE = [
  'order.created',
  'order.updated',
  'order.cancelled',
  'order.fulfilled',
  'payment.completed',
  'payment.refunded',
  'product.created',
  'product.updated',
  'inventory.updated',
  'customer.created',
  'customer.updated',
  'shop.updated',
];

describe('the platform catalog', () => {
  it('holds the commerce, operational and test types, each once', () => {
    const names = PLATFORM_CATALOG.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...COMMERCE, ...Object.values(OperationalEventType), TEST_EVENT_TYPE].sort());
  });

  it('offers the built-in types in the catalog order', () => {
    const builtIn = PLATFORM_CATALOG.filter((d) => d.source === EventTypeSource.BuiltIn).map((d) => d.name);
    expect(builtIn).toEqual([...COMMERCE, TEST_EVENT_TYPE]);
  });

  it('marks exactly the OperationalEventType names as operational, with the contract names', () => {
    const operational = PLATFORM_CATALOG.filter((d) => d.source === EventTypeSource.Operational).map((d) => d.name);
    expect(operational.sort()).toEqual(['delivery.dead_lettered', 'endpoint.disabled', 'endpoint.failing']);
    expect(Object.values(OperationalEventType).sort()).toEqual(operational);
    expect(TEST_EVENT_TYPE).toBe('webhook.test');
  });

  it('gives every type a description and an open, current schema', () => {
    for (const type of PLATFORM_CATALOG) {
      expect(type.description.length).toBeGreaterThan(0);
      expect(type.archived).toBe(false);
      expect(type.schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: type.name,
        type: 'object',
      });
    }
  });

  it('finds a type by name', () => {
    expect(findPlatformEventType('order.created')?.description).toContain('order');
    expect(findPlatformEventType('nope.nope')).toBeUndefined();
  });

  const validator = new PayloadValidator();
  it.each(PLATFORM_CATALOG.map((d) => [d.name, d] as const))('the sample payload of %s meets its schema', (_, type) => {
    expect(() => validator.validate(type, type.samplePayload)).not.toThrow();
  });
});

describe('loadPlatformCatalog', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    cpSync(CATALOG_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string): string => join(dir, 'built-in', `${name}.json`);
  const edit = (name: string, change: (definition: Record<string, unknown>) => void): void => {
    const definition = JSON.parse(readFileSync(file(name), 'utf8')) as Record<string, unknown>;
    change(definition);
    writeFileSync(file(name), JSON.stringify(definition));
  };

  it('reads an unchanged copy as the catalog it is', () => {
    expect(loadPlatformCatalog(dir)).toEqual(PLATFORM_CATALOG);
  });

  it('refuses a file the manifest does not list, and a listed name without a file', () => {
    writeFileSync(file('order.exploded'), readFileSync(file('order.created')));
    expect(() => loadPlatformCatalog(dir)).toThrow('order.exploded.json not listed in catalog.json');
    rmSync(file('order.exploded'));
    rmSync(file('shop.updated'));
    expect(() => loadPlatformCatalog(dir)).toThrow('catalog.json lists shop.updated, which has no file');
  });

  it('refuses a definition whose name is not its file name, or with a field too many or missing', () => {
    edit('order.created', (d) => (d.name = 'order.placed'));
    expect(() => loadPlatformCatalog(dir)).toThrow('name must be "order.created", as the file is named');
    edit('order.created', (d) => Object.assign(d, { name: 'order.created', operational: true }));
    expect(() => loadPlatformCatalog(dir)).toThrow('unexpected operational');
    edit('order.created', (d) => {
      delete d.operational;
      delete d.samplePayload;
    });
    expect(() => loadPlatformCatalog(dir)).toThrow('samplePayload must be a JSON object');
  });

  it('refuses operational types that differ from OperationalEventType', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8')) as Record<string, string[]>;
    manifest.OPERATIONAL = manifest.OPERATIONAL.filter((name) => name !== OperationalEventType.EndpointFailing);
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(manifest));
    rmSync(join(dir, 'operational', `${OperationalEventType.EndpointFailing}.json`));
    expect(() => loadPlatformCatalog(dir)).toThrow('the operational types must be exactly');
  });

  it('refuses a file that is not JSON, naming it', () => {
    writeFileSync(file('order.created'), '{ "name": ');
    expect(() => loadPlatformCatalog(dir)).toThrow(/order\.created\.json/);
  });
});
