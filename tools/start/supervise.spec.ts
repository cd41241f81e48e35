import { RESTART_BACKOFF, restartDelay } from './supervise';

describe('restartDelay', () => {
  it('waits half a second first, doubling on each quick death up to the cap', () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let i = 0; i < 9; i++) delays.push((delay = restartDelay(delay, 1000)));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over after a run of a stable minute', () => {
    expect(restartDelay(16_000, RESTART_BACKOFF.stableMs)).toBe(500);
    expect(restartDelay(16_000, RESTART_BACKOFF.stableMs - 1)).toBe(30_000);
  });
});
