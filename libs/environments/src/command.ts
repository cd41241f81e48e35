import type { Actor } from '@clp/contracts';

/** Time, ids and the actor come in with every command; a decider reads no clock. */
export interface CommandMetadata {
  command_id: string;
  now: string;
  actor: Actor;
}

export type Command<Type extends string, Data> = { type: Type; data: Data; metadata: CommandMetadata };

export const unreachable = (value: never): never => {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
};
