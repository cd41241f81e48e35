import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) from text, the same in every replica and every run: the schedule and the
 * owner of a connection are computed, never stored or agreed on.
 */
export const unitHash = (text: string): number => createHash('sha1').update(text).digest().readUIntBE(0, 6) / 2 ** 48;

export interface ProbeSchedule {
  intervalMs: number;
  /** Fraction of the interval (below one half) by which each probe moves around its place. */
  jitter: number;
}

/**
 * The connection's probe in cycle `cycle` (cycles count intervals since the epoch): at its own
 * place in the cycle, spread evenly over the interval, moved by up to ± jitter, differently in
 * each cycle. Any replica computes the same time, so a new owner probes where the old one would
 * have, and never a second time in a cycle the old one already probed.
 */
export const probeSlot = (connectionId: string, cycle: number, { intervalMs, jitter }: ProbeSchedule): number =>
  (cycle + unitHash(connectionId) + (2 * unitHash(`${connectionId}/${cycle}`) - 1) * jitter) * intervalMs;

/** The connection's first probe strictly after `after` (epoch ms). */
export const nextProbeAt = (connectionId: string, after: number, schedule: ProbeSchedule): number => {
  // Two cycles back is before `after` whatever the place and jitter; slots increase with the cycle.
  for (let cycle = Math.floor(after / schedule.intervalMs) - 2; ; cycle++) {
    const at = probeSlot(connectionId, cycle, schedule);
    if (at > after) return at;
  }
};

/**
 * Rendezvous (highest random weight) hashing: the member that scores highest for the connection
 * owns it. Every replica with the same member list picks the same owner, and a member joining or
 * leaving moves only the connections it wins or held.
 */
export const ownerOf = (connectionId: string, members: readonly string[]): string | undefined => {
  let owner: string | undefined;
  let best = -1;
  for (const member of members) {
    const score = unitHash(`${member}/${connectionId}`);
    if (score > best || (score === best && owner !== undefined && member < owner)) [owner, best] = [member, score];
  }
  return owner;
};
