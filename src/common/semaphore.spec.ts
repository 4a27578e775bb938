import { Semaphore } from './semaphore';

const deferred = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('Semaphore', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in arrival order', async () => {
    const sem = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      sem.run(async () => {
        started.push(i);
        await gate.promise;
        return i * 10;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    expect(sem.running).toBe(2);
    expect(sem.queued).toBe(2);

    gates[1].resolve();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    expect(sem.running).toBe(2);
    expect(sem.queued).toBe(1);

    gates[0].resolve();
    gates[2].resolve();
    gates[3].resolve();
    expect(await Promise.all(runs)).toEqual([0, 10, 20, 30]);
    expect(sem.running).toBe(0);
    expect(sem.queued).toBe(0);
  });

  it('frees the slot of a task that throws, and passes the error to its caller', async () => {
    const sem = new Semaphore(1);
    const failed = sem.run(async () => {
      throw new Error('db down');
    });
    const next = sem.run(async () => 'ran');
    await expect(failed).rejects.toThrow('db down');
    await expect(next).resolves.toBe('ran');
    expect(sem.running).toBe(0);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow('positive integer');
    expect(() => new Semaphore(1.5)).toThrow('positive integer');
  });
});
