const IDLE = Symbol('idle');

/**
 * Groups a live sequence into batches of at most `size`, yielding a partial batch as soon as no
 * further item is ready: batching pays under load and must not delay a trickle.
 */
export async function* batchesOf<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  const items = source[Symbol.asyncIterator]();
  // The next item is requested while a batch is being handled; if the source fails meanwhile,
  // the failure surfaces when `next` is awaited, not as an unhandled rejection.
  const request = () => {
    const promise = items.next();
    promise.catch(() => undefined);
    return promise;
  };
  let batch: T[] = [];
  let next = request();
  // Settles once the event loop has gone round: items not ready by then wait for the next batch.
  let idle: Promise<typeof IDLE> | undefined;
  for (;;) {
    const item = batch.length === 0 ? await next : await Promise.race([next, (idle ??= new Promise((resolve) => setImmediate(resolve, IDLE)))]);
    if (item === IDLE) {
      yield batch;
      batch = [];
      idle = undefined;
      continue;
    }
    if (item.done) break;
    batch.push(item.value);
    next = request();
    if (batch.length >= size) {
      yield batch;
      batch = [];
      idle = undefined;
    }
  }
  if (batch.length > 0) yield batch;
}
