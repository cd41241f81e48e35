import { DueQueue } from './due-queue';

describe('due queue', () => {
  it('gives the probes back earliest first', () => {
    const queue = new DueQueue();
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    times.forEach((at, i) => queue.push({ at, id: String(i), token: i }));
    const out: number[] = [];
    while (queue.size) out.push(queue.pop()!.at);
    expect(out).toEqual([...times].sort((a, b) => a - b));
    expect(queue.pop()).toBeUndefined();
  });
});
