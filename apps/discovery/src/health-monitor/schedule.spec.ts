import { nextProbeAt, ownerOf, probeSlot } from './schedule';

const schedule = { intervalMs: 60_000, jitter: 0.1 };
const ids = Array.from({ length: 2000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('probe schedule', () => {
  it('probes each connection once per interval, within ± jitter of its place', () => {
    for (const id of ids.slice(0, 200)) {
      let at = nextProbeAt(id, T0, schedule);
      for (let i = 0; i < 10; i++) {
        const next = nextProbeAt(id, at, schedule);
        expect(next - at).toBeGreaterThanOrEqual(schedule.intervalMs * (1 - 2 * schedule.jitter));
        expect(next - at).toBeLessThanOrEqual(schedule.intervalMs * (1 + 2 * schedule.jitter));
        at = next;
      }
    }
  });

  it('is the same for every replica and every asker: the next probe after any instant of a cycle is that cycle’s', () => {
    const id = ids[7];
    const at = nextProbeAt(id, T0, schedule);
    expect(nextProbeAt(id, at - 1, schedule)).toBe(at);
    expect(nextProbeAt(id, T0 + 0.5 * (at - T0), schedule)).toBe(at);
    expect(nextProbeAt(id, at, schedule)).toBeGreaterThan(at);
  });

  it('spreads the connections over the interval (no burst at the start of a cycle)', () => {
    const perTenth = new Array(10).fill(0);
    const cycle = T0 / schedule.intervalMs;
    for (const id of ids) {
      const place = (probeSlot(id, cycle, schedule) - T0) / schedule.intervalMs;
      perTenth[Math.floor((place + 1) * 10) % 10]++;
    }
    for (const count of perTenth) expect(count).toBeGreaterThan(ids.length / 10 / 1.5);
  });

  it('moves each probe differently in each cycle', () => {
    const offsets = [0, 1, 2, 3].map((cycle) => probeSlot(ids[0], cycle, schedule) - cycle * schedule.intervalMs);
    expect(new Set(offsets).size).toBe(4);
  });
});

describe('ownership (rendezvous hashing)', () => {
  const members = ['discovery-a', 'discovery-b', 'discovery-c'];

  it('gives every connection one owner, about evenly', () => {
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(ownerOf(id, members)!, (counts.get(ownerOf(id, members)!) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(members);
    for (const count of counts.values()) expect(count).toBeGreaterThan(ids.length / 3 / 1.25);
  });

  it('does not depend on the order of the members', () => {
    for (const id of ids.slice(0, 100)) expect(ownerOf(id, [...members].reverse())).toBe(ownerOf(id, members));
  });

  it('moves only the leaving member’s connections when one leaves, and only the new one’s when one joins', () => {
    const after = members.slice(0, 2);
    for (const id of ids) {
      const before = ownerOf(id, members);
      if (before !== 'discovery-c') expect(ownerOf(id, after)).toBe(before);
    }
    const joined = [...members, 'discovery-d'];
    for (const id of ids) {
      const owner = ownerOf(id, joined);
      if (owner !== 'discovery-d') expect(owner).toBe(ownerOf(id, members));
    }
  });

  it('has no owner without members', () => {
    expect(ownerOf(ids[0], [])).toBeUndefined();
  });
});
