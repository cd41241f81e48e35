import type Redis from 'ioredis';

export type LuaScript = (...args: Array<string | number>) => Promise<unknown>;

/**
 * A Lua script with no declared keys, sent by its SHA1 (EVALSHA) and loaded by ioredis only when
 * the server does not know it yet: a query or a projected batch no longer carries the script's text.
 * With `bytes`, a string it answers comes as a Buffer, for a reply that passes it on undecoded.
 */
export const luaScript = (redis: Redis, name: string, lua: string, reply: 'text' | 'bytes' = 'text'): LuaScript => {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 0, lua });
  const command = (redis as unknown as Record<string, LuaScript>)[reply === 'bytes' ? `${name}Buffer` : name];
  return (...args) => command.apply(redis, args);
};
