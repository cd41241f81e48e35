import { ReplyError } from '@clp/contracts';

/**
 * How often a command is decided again after another request appended to its stream first. Each
 * round of racing commands stores at least one of them, so a handful of simultaneous commands on
 * one stream all get their turn.
 */
export const COMMAND_ATTEMPTS = 10;

/** A short random pause before the next attempt, so that the same racers do not collide again in step. */
export const pauseAfterConflict = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

/** A command that lost every race: a 409 its caller may send again, not a failure of the service. */
export const stillConflicting = (): ReplyError =>
  new ReplyError('conflict', 'changed by other requests at the same moment, every time this one was decided; send it again');
