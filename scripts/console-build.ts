/**
 * Builds the console into dist/console when the build is missing or older than its sources. Used by `npm start`
 * and by the browser tests; `npm run build` always builds it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
export const CONSOLE_DIST = join(ROOT, 'dist', 'console');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

export function consoleBuildIsStale(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const sources = ['console/src', 'console/index.html', 'console/vite.config.ts'].map((p) => join(ROOT, p));
  return Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs;
}

/** Builds when stale (or when `force`); throws with vite's output when the build fails. */
export function ensureConsoleBuilt(opts: { onlyIfMissing?: boolean } = {}): boolean {
  const missing = !existsSync(join(CONSOLE_DIST, 'index.html'));
  if (opts.onlyIfMissing ? !missing : !consoleBuildIsStale()) return false;
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  const result = spawnSync(vite, ['build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`console build failed:\n${result.stdout}\n${result.stderr}`);
  return true;
}
