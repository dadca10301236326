/**
 * Fair turns between owners for the Redis queue, the rule of tasks/fair-dispatch.ts carried by
 * BullMQ priorities: each priority owns a band of BullMQ priorities, and a task's place in its band
 * is its owner's round. The round being served is read from BullMQ's prioritized set itself (the
 * lowest round still waiting), so every API process and worker agrees without extra bookkeeping,
 * and when a band runs empty its rounds start again from 1.
 */
import type { Redis } from 'ioredis';
import type { TaskPriority } from '../task.js';
import { LuaScript } from './lua-script.js';
import { DISPATCH_QUEUE_NAME } from './redis-keys.js';

/** BullMQ accepts priorities 1..2^21; three bands of this many rounds fit. */
const BAND = 699_050;
const BAND_OF: Record<TaskPriority, number> = { high: 0, normal: 1, low: 2 };

/**
 * KEYS[1] BullMQ's prioritized set, KEYS[2] the owners' last rounds of this band.
 * ARGV: band start (BullMQ priority of round 0), band size, owner.
 * BullMQ scores a prioritized job `priority * 2^32 + counter`.
 */
const NEXT_ROUND = new LuaScript(`
local bandStart = tonumber(ARGV[1])
local bandSize = tonumber(ARGV[2])
local low = bandStart * 4294967296
local high = (bandStart + bandSize) * 4294967296 - 1
local first = redis.call('ZRANGEBYSCORE', KEYS[1], low, high, 'WITHSCORES', 'LIMIT', 0, 1)
local serving = 0
if #first == 0 then
  redis.call('DEL', KEYS[2])
else
  serving = math.floor(tonumber(first[2]) / 4294967296) - bandStart - 1
  if serving < 0 then serving = 0 end
end
local last = tonumber(redis.call('HGET', KEYS[2], ARGV[3]) or '0')
local round = math.max(serving, last) + 1
if round > bandSize - 1 then round = bandSize - 1 end
redis.call('HSET', KEYS[2], ARGV[3], round)
return round
`);

export class RedisFairRounds {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  /** The BullMQ priority of a task of `owner` queued now (a job given back keeps the one it had). */
  async priorityFor(owner: string, priority: TaskPriority): Promise<number> {
    const bandStart = BAND_OF[priority] * BAND + 1;
    const keys = [`${this.prefix}:${DISPATCH_QUEUE_NAME}:prioritized`, `${this.prefix}:fair:${priority}`];
    const round = Number(await NEXT_ROUND.run(this.client, keys, [bandStart, BAND, owner]));
    return bandStart + round;
  }
}
