/**
 * Issue 7, soak and isolation, in its 1-minute form: runs `bench/soak.ts --minutes 1` (api + worker as production
 * runs them, a baseline run and a run with a tenant whose endpoint never answers) and requires every one of its
 * required checks to pass: nothing lost, duplicates < 0.1 %, memory drift ≤ 10 % after warm-up, and a bounded queue.
 * The healthy tenant's publish→receive p95 against the baseline is printed but not required (no timing assertion
 * in npm test: the ratio went to ×3–×5 when the machine was busy). The limits live in bench/soak.ts, not here.
 *
 * The soak gets a clean environment (no test-run overrides such as the 1 s retry schedule), as `npm run soak`
 * does, and writes its figures to a temporary file instead of the committed bench/results/soak.json.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface SoakCheck {
  check: string;
  value: string;
  limit: string;
  ok: boolean;
  informational?: boolean;
}

const MINUTES = '1';

describe('soak (1 minute) with a bad tenant', () => {
  it(
    'passes every check of bench/soak.ts',
    async () => {
      const out = join(mkdtempSync(join(tmpdir(), 'hookline-soak-')), 'soak.json');
      let log = '';
      const child = spawn(
        process.execPath,
        [
          join(process.cwd(), 'node_modules/ts-node/dist/bin.js'),
          '--transpile-only',
          'bench/soak.ts',
          '--minutes',
          MINUTES,
          '--out',
          out,
        ],
        {
          cwd: process.cwd(),
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            NODE_ENV: 'test',
            DATABASE_URL: process.env.DATABASE_URL,
            REDIS_URL: process.env.REDIS_URL,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));

      let report: { ok: boolean; checks: SoakCheck[] } | undefined;
      try {
        report = JSON.parse(readFileSync(out, 'utf8')) as { ok: boolean; checks: SoakCheck[] };
      } catch {
        throw new Error(`the soak wrote no report (exit ${code}):\n${log.slice(-4000)}`);
      }
      // Printed so CI logs show the figures, passing or not.
      process.stdout.write(`${log.slice(-6000)}\n`);
      // The latency ratio is reported (in the log above and the bench), never required: it measures the machine's load too.
      const failed = report.checks
        .filter((c) => !c.ok && c.informational !== true)
        .map((c) => `${c.check}: ${c.value} (limit ${c.limit})`);
      expect(failed).toEqual([]);
      // Every check the issue names was made, for both runs (the latency one needs the baseline).
      const names = report.checks.map((c) => c.check).join('\n');
      for (const needed of [
        'lost',
        'duplicates',
        'memory drift apiRss',
        'memory drift workerRss',
        'memory drift redisUsedMemory',
        'memory drift pgAnonPerBackend',
        'queue depth',
        "A's publish→receive p95 vs baseline",
      ]) {
        expect(names).toContain(needed);
      }
      expect(report.ok).toBe(true);
      expect(code).toBe(0);
    },
    15 * 60_000,
  );
});
