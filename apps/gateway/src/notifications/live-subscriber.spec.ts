import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FeedEntry } from '@clp/contracts';
import { LiveSubscriber } from './live-subscriber';

/** A socket that takes writes (or refuses more until `drain`) and records them. */
class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  writableEnded = false;
  accepting = true;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return this.accepting;
  }
  end(): void {
    this.writableEnded = true;
  }
  ids(): number[] {
    return [...this.chunks.join('').matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

const entry = (seq: number): FeedEntry => ({ seq, notification: { id: `n-${seq}` } as FeedEntry['notification'] });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('LiveSubscriber', () => {
  it('writes a catch-up, then the feed held back meanwhile, each seq once and in order', async () => {
    const raw = new FakeResponse();
    const subscriber = new LiveSubscriber(raw as unknown as ServerResponse, 100, 10, true, () => undefined);
    subscriber.deliver(entry(13));
    subscriber.deliver(entry(14));
    [11, 12, 13].forEach((seq) => subscriber.write(entry(seq)));
    subscriber.caughtUp();
    subscriber.deliver(entry(14));
    subscriber.deliver(entry(15));
    await turn();
    expect(raw.ids()).toEqual([11, 12, 13, 14, 15]);
  });

  it('waits for drain while the socket is full, and disconnects a client that falls too far behind', async () => {
    const raw = new FakeResponse();
    const onClose = jest.fn();
    const subscriber = new LiveSubscriber(raw as unknown as ServerResponse, 3, 0, false, onClose);
    raw.accepting = false;
    subscriber.deliver(entry(1));
    await turn();
    // The socket is full: the next ones wait in the queue, up to 3.
    [2, 3, 4].forEach((seq) => subscriber.deliver(entry(seq)));
    await turn();
    expect(raw.ids()).toEqual([1]);
    raw.accepting = true;
    raw.emit('drain');
    await turn();
    expect(raw.ids()).toEqual([1, 2, 3, 4]);
    expect(onClose).not.toHaveBeenCalled();

    raw.accepting = false;
    subscriber.deliver(entry(5));
    await turn();
    [6, 7, 8, 9].forEach((seq) => subscriber.deliver(entry(seq)));
    expect(subscriber.closed).toBe(true);
    expect(raw.writableEnded).toBe(true);
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
