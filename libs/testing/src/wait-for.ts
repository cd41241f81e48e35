/**
 * Resolves once `condition` returns a truthy value (which it returns); fails after `timeoutMs`
 * with `message` and the last value seen. For conditions that other processes make true.
 */
export const waitFor = async <T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20, message = 'condition' }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> => {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await condition();
      if (last) return last as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${message} not met within ${timeoutMs} ms (last: ${JSON.stringify(last)}${lastError ? `, error: ${String(lastError)}` : ''})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
