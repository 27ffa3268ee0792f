/**
 * A time limit on waiting: what the server waits for from outside (a
 * broker, responses at shutdown) must not hold it forever.
 *
 * @module
 */

/** Waits for `promise`, or rejects with `message` after `ms`. */
export function within<T>(
  promise: Promise<T>,
  ms: number,
  message: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
