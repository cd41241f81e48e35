import { batchesOf } from './batches';

/** A live source: items pushed by the test, each read when the consumer asks. */
const liveSource = <T>() => {
  const queue: T[] = [];
  const waiting: Array<(result: IteratorResult<T>) => void> = [];
  let ended = false;
  return {
    push(...items: T[]) {
      for (const item of items) {
        const reader = waiting.shift();
        if (reader) reader({ value: item, done: false });
        else queue.push(item);
      }
    },
    end() {
      ended = true;
      waiting.splice(0).forEach((reader) => reader({ value: undefined, done: true }));
    },
    [Symbol.asyncIterator]: (): AsyncIterator<T> => ({
      next: () =>
        queue.length > 0
          ? Promise.resolve({ value: queue.shift() as T, done: false })
          : ended
            ? Promise.resolve({ value: undefined, done: true })
            : new Promise((resolve) => waiting.push(resolve)),
    }),
  };
};

describe('batchesOf', () => {
  it('groups what is ready into batches of at most the size, in order', async () => {
    const source = liveSource<number>();
    source.push(...Array.from({ length: 25 }, (_, i) => i));
    source.end();
    const batches: number[][] = [];
    for await (const batch of batchesOf(source, 10)) batches.push(batch);
    expect(batches).toEqual([
      Array.from({ length: 10 }, (_, i) => i),
      Array.from({ length: 10 }, (_, i) => i + 10),
      Array.from({ length: 5 }, (_, i) => i + 20),
    ]);
  });

  it('yields a partial batch when nothing more is ready, without waiting for the size', async () => {
    const source = liveSource<string>();
    const batches = batchesOf(source, 100)[Symbol.asyncIterator]();
    source.push('a', 'b');
    expect((await batches.next()).value).toEqual(['a', 'b']);
    // A trickle: the next item alone, while the source stays open.
    const next = batches.next();
    source.push('c');
    expect((await next).value).toEqual(['c']);
    source.end();
    expect((await batches.next()).done).toBe(true);
  });
});
