/**
 * "A module never queries another module's tables": the half of the boundary rules an import graph cannot see.
 * A table belongs to the module whose folder holds its entity. A module may name another module's table
 * neither in SQL text (FROM / JOIN / UPDATE / INTO / DELETE FROM) nor through TypeORM
 * (forFeature / @InjectRepository of another module's entity); it asks the owner's service instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes: src/<module>/... */
  path: string;
  text: string;
}

export interface Violation {
  path: string;
  line: number;
  module: string;
  table: string;
  owner: string;
  how: 'sql' | 'repository';
}

/**
 * Reads of another module's table that stay, each with the reason. A read here must be one statement that needs the
 * other table's row at the same instant (a service call between would open a race); writes are never allowed.
 */
export const DOCUMENTED_READS: { module: string; path: string; table: string; why: string }[] = [
  {
    module: 'deliveries',
    path: 'src/deliveries/delivery-store.ts',
    table: 'endpoints',
    why: 'the claim reads endpoints.is_active in its own UPDATE, so an endpoint disabled a moment before is HELD, never sent',
  },
];

/** Folders that may name every table: migrations create them, the data source lists the entities. */
const EXEMPT = /^src\/database\//;
const ENTITY_FILE = /\.entity\.ts$/;
const ENTITY_DECORATOR = /@Entity\(\s*(?:'([a-z0-9_]+)'|\{[^}]*name:\s*'([a-z0-9_]+)')/;
const ENTITY_CLASS = /export class (\w+Entity)\b/;
const SQL_TABLE = /\b(?:FROM|JOIN|UPDATE|INTO)\s+"?([a-z][a-z0-9_]*)"?/g;
const REPOSITORY_USE = /(?:InjectRepository\(\s*|getRepository\(\s*|forFeature\(\s*\[)([\w\s,]+)/g;

export function moduleOf(path: string): string | null {
  return /^src\/([^/]+)\//.exec(path)?.[1] ?? null;
}

/** table → owning module, and entity class → owning module, from the *.entity.ts files. */
export function ownership(files: SourceFile[]): { tables: Map<string, string>; entities: Map<string, string> } {
  const tables = new Map<string, string>();
  const entities = new Map<string, string>();
  for (const file of files) {
    const module = moduleOf(file.path);
    if (!module || !ENTITY_FILE.test(file.path)) continue;
    const decorator = ENTITY_DECORATOR.exec(file.text);
    const table = decorator?.[1] ?? decorator?.[2];
    if (table) tables.set(table, module);
    for (const match of file.text.matchAll(new RegExp(ENTITY_CLASS, 'g'))) entities.set(match[1], module);
  }
  return { tables, entities };
}

export function findViolations(files: SourceFile[]): Violation[] {
  const { tables, entities } = ownership(files);
  const violations: Violation[] = [];
  for (const file of files) {
    const module = moduleOf(file.path);
    if (!module || EXEMPT.test(file.path) || file.path.endsWith('.spec.ts')) continue;
    const lines = file.text.split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(SQL_TABLE)) {
        const owner = tables.get(match[1]);
        const documented = DOCUMENTED_READS.some(
          (r) => r.path === file.path && r.table === match[1] && /^\s*(FROM|JOIN)\b/i.test(match[0]),
        );
        if (owner && owner !== module && !documented)
          violations.push({ path: file.path, line: index + 1, module, table: match[1], owner, how: 'sql' });
      }
      for (const match of text.matchAll(REPOSITORY_USE)) {
        for (const name of match[1].split(',').map((n) => n.trim())) {
          const owner = entities.get(name);
          if (owner && owner !== module)
            violations.push({ path: file.path, line: index + 1, module, table: name, owner, how: 'repository' });
        }
      }
    });
  }
  return violations;
}

function sourceFiles(root: string, dir = join(root, 'src')): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, full);
    if (!entry.name.endsWith('.ts')) return [];
    return [{ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') }];
  });
}

if (require.main === module) {
  const violations = findViolations(sourceFiles(process.cwd()));
  for (const v of violations) {
    const what = v.how === 'sql' ? `queries table ${v.table}` : `uses the repository of ${v.table}`;
    console.error(`${v.path}:${v.line}: ${v.module} ${what}, which belongs to ${v.owner}; ask ${v.owner}'s service`);
  }
  if (violations.length > 0) process.exit(1);
  console.log('table ownership: every module queries only its own tables');
}
