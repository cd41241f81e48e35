import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';

export type LuaScript = (...args: Array<string | number>) => Promise<unknown>;

export const script = (name: string) => readFileSync(join(__dirname, name), 'utf8');

/**
 * A Lua script with no declared keys, sent by its SHA1 (EVALSHA) and loaded by ioredis only when
 * the server does not know it yet (as the registry's read model does).
 */
export const luaScript = (redis: Redis, name: string, lua: string): LuaScript => {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 0, lua });
  const command = (redis as unknown as Record<string, LuaScript>)[name];
  return (...args) => command.apply(redis, args);
};
