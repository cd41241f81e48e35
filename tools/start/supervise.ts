import { LaunchError } from './config';
import { describeExit, runningChildren, say, type Child } from './processes';

/** The wait before restarting a process that died: doubling from `firstMs` to `maxMs`; a run of `stableMs` or more starts over. */
export const RESTART_BACKOFF = { firstMs: 500, maxMs: 30_000, stableMs: 60_000 };

/** The wait before the next restart, after a wait of `previousMs` (none yet: undefined) and a run of `ranMs`. */
export const restartDelay = (previousMs: number | undefined, ranMs: number, backoff = RESTART_BACKOFF): number =>
  previousMs === undefined || ranMs >= backoff.stableMs ? backoff.firstMs : Math.min(previousMs * 2, backoff.maxMs);

export interface Supervision {
  /** Starts the process again; throws a LaunchError once the launcher is stopping. */
  relaunch(): Child;
  /** Resolves once a (re)started process serves; rejects if it exits first or takes too long. */
  ready(child: Child): Promise<unknown>;
  /** True from the moment the launcher stops everything: an exit then is no crash. */
  stopping(): boolean;
  /** False until the system first came up: an exit before that is a failed start, which the launcher handles by stopping. */
  restartable(): boolean;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Restarts `first`, and each process started in its place, whenever it exits without having been
 * asked to, after a back-off (RESTART_BACKOFF); says so, and says when it serves again. A restarted
 * process that does not come up in time is stopped, and so restarted in turn.
 */
export const supervise = async (first: Child, supervision: Supervision): Promise<void> => {
  let child = first;
  let startedAt = Date.now();
  let delay: number | undefined;
  for (;;) {
    const status = await child.exited;
    if (supervision.stopping() || !supervision.restartable()) return;
    delay = restartDelay(delay, Date.now() - startedAt);
    say(`${child.name} ${describeExit(status)}; restarting in ${delay / 1000} s`);
    await wait(delay);
    if (supervision.stopping()) return;
    try {
      child = supervision.relaunch();
    } catch (error) {
      if (error instanceof LaunchError) return; // stopping meanwhile
      throw error;
    }
    startedAt = Date.now();
    const restarted = child;
    supervision.ready(restarted).then(
      () => say(`${restarted.name} is back (pid ${restarted.pid})`),
      async (error: Error) => {
        if (!runningChildren(restarted.role).includes(restarted)) return; // it exited: the loop restarts it
        say(`${error.message}; stopping it to start it again`);
        await restarted.stop();
      },
    );
  }
};
