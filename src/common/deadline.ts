/**
 * The promise's outcome, or an error once `ms` have passed. The promise itself is left to settle (its rejection
 * stays handled). For best-effort calls to Redis from periodic tasks: a Redis that is down must not wedge a task,
 * nor the shutdown that waits for it.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what = 'the call'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
