/**
 * Issue 17, item 1: a process that cannot continue must die so that its supervisor restarts it. A fatal V8
 * error ends in a trap instruction (SIGILL); with a JS handler for it the trap re-runs forever at 100 % CPU.
 * So no role traps SIGILL, SIGSEGV, SIGBUS, SIGFPE or SIGABRT, while SIGTERM still shuts down cleanly.
 */
import { AppProcess, startAppProcess } from '../support/processes';
import { createTestApp, TestApp } from '../support/app';

const FATAL = ['SIGILL', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGABRT'] as const;

function exitOf(p: AppProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      resolve({ code: p.child.exitCode, signal: p.child.signalCode });
    else p.child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('fatal signals are never trapped', () => {
  const processes: AppProcess[] = [];
  let app: TestApp | undefined;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await app?.close();
  });

  it('the booted app listens for SIGTERM and SIGINT only', async () => {
    const before = Object.fromEntries(FATAL.map((s) => [s, process.listenerCount(s)]));
    const termBefore = process.listenerCount('SIGTERM');
    app = await createTestApp();
    // Positive control: the shutdown hooks were registered at all.
    expect(process.listenerCount('SIGTERM')).toBe(termBefore + 1);
    for (const signal of FATAL)
      expect({ signal, listeners: process.listenerCount(signal) }).toEqual({ signal, listeners: before[signal] });
  }, 60_000);

  it.each([
    ['api', 'SIGILL'],
    ['worker', 'SIGSEGV'],
  ] as const)(
    'a %s process sent %s dies by that signal instead of trapping it',
    async (role, signal) => {
      const p = await startAppProcess(role);
      processes.push(p);
      const exit = exitOf(p);
      p.child.kill(signal);
      // A trapped signal would run Nest's graceful shutdown and exit with code 0.
      await expect(exit).resolves.toEqual({ code: null, signal });
    },
    90_000,
  );

  it('control: SIGTERM still shuts an api process down cleanly with exit code 0', async () => {
    const p = await startAppProcess('api');
    processes.push(p);
    const exit = exitOf(p);
    p.child.kill('SIGTERM');
    await expect(exit).resolves.toEqual({ code: 0, signal: null });
  }, 90_000);
});
