/**
 * A small promise concurrency limiter: at most `limit` tasks run at once, the rest wait in order.
 * Written here because it is a dozen lines and the extension bundle must stay small.
 */
export interface Limiter {
  <T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly pending: number;
}

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }
  let active = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    active--;
    queue.shift()?.();
  };
  const run = <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        active++;
        let p: Promise<T>;
        try {
          p = task();
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(resolve, reject).finally(next);
      };
      if (active < limit) {
        start();
      } else {
        queue.push(start);
      }
    });
  Object.defineProperty(run, 'active', { get: () => active });
  Object.defineProperty(run, 'pending', { get: () => queue.length });
  return run as Limiter;
}
