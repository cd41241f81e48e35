/** Resolves once `condition` holds; throws after `timeoutMs` (the caller's message is retried later). */
export const waitUntil = async (condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  for (const deadline = Date.now() + timeoutMs; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
