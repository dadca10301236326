/**
 * The three writes of the record store. Each checks and changes a record together with its
 * indexes, counters, idempotency and cache entries in one step. Keys a call does not need are
 * passed as the record's own key (never touched, because the matching flag is off), so every
 * script declares the same number of keys on every call.
 */
import { LuaScript } from './lua-script.js';

/**
 * Lua that counts a task reaching a final state (`processed` = '1') and, for a completion, its
 * processing time (`durationMs` ≠ ''), in the stats hash.
 */
function countFinal(stats: string, processed: string, durationMs: string): string {
  return `
if ${processed} == '1' then redis.call('HINCRBY', ${stats}, 'totalProcessed', 1) end
if ${durationMs} ~= '' then
  redis.call('HINCRBY', ${stats}, 'completed', 1)
  redis.call('HINCRBY', ${stats}, 'processingMs', ${durationMs})
end`;
}

/**
 * Stores a new record unless the owner's idempotency key already points at a task.
 *
 * KEYS: 1 record, 2 sequence, 3 index all, 4 index owner, 5 index status, 6 index created,
 * 7 idempotency, 8 stats, 9 result cache.
 * ARGV: 1 taskId, 2 record JSON, 3 createdAt ms, 4 use idempotency ('1'), 5 counts as processed ('1'),
 * 6 durationMs of a completed record (or ''), 7 set the result cache ('1'), 8 most records the status
 * index may hold (QUEUE_MAX_PENDING, or '' for no limit).
 * Returns {1, taskId} when stored, {0, earlierTaskId} when the idempotency key was taken, {-1, ''}
 * when the status index is full: checked in the same step as the insert, so concurrent submissions
 * on any number of hosts cannot overshoot the limit.
 */
export const insertTaskScript = new LuaScript(`
if ARGV[4] == '1' then
  local earlier = redis.call('GET', KEYS[7])
  if earlier then return {0, earlier} end
end
if ARGV[8] ~= '' and redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[8]) then return {-1, ''} end
if ARGV[4] == '1' then redis.call('SET', KEYS[7], ARGV[1]) end
local seq = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'v', 1, 'run', 0, 'holder', '')
redis.call('ZADD', KEYS[3], seq, ARGV[1])
redis.call('ZADD', KEYS[4], seq, ARGV[1])
redis.call('ZADD', KEYS[5], seq, ARGV[1])
redis.call('ZADD', KEYS[6], ARGV[3], ARGV[1])
${countFinal('KEYS[8]', 'ARGV[5]', 'ARGV[6]')}
if ARGV[7] == '1' then redis.call('SET', KEYS[9], ARGV[1]) end
return {1, ARGV[1]}
`);

/**
 * Compare-and-set of a record: applies only if its version is still the one the caller read.
 * A status change moves the id between status indexes and is published in the same step, so
 * watchers on every host see changes in the order they were made.
 *
 * KEYS: 1 record, 2 index all, 3 old status index, 4 new status index, 5 stats, 6 events channel,
 * 7 result cache.
 * ARGV: 1 expected version, 2 new JSON, 3 taskId, 4 run, 5 holder, 6 counts as processed ('1'),
 * 7 durationMs of a completion (or ''), 8 set the result cache ('1').
 * Returns 1 when applied, 0 when the record changed or is gone.
 */
export const transitionScript = new LuaScript(`
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'run', ARGV[4], 'holder', ARGV[5])
if KEYS[3] ~= KEYS[4] then
  local seq = redis.call('ZSCORE', KEYS[2], ARGV[3])
  redis.call('ZREM', KEYS[3], ARGV[3])
  if seq then redis.call('ZADD', KEYS[4], seq, ARGV[3]) end
  redis.call('PUBLISH', KEYS[6], ARGV[2])
end
${countFinal('KEYS[5]', 'ARGV[6]', 'ARGV[7]')}
if ARGV[8] == '1' then redis.call('SET', KEYS[7], ARGV[3]) end
return 1
`);

/**
 * Deletes a record that is still at the version the caller read, with its index entries, its
 * cancel request, and its idempotency and cache entries when they still point at it.
 *
 * KEYS: 1 record, 2 index all, 3 index owner, 4 index status, 5 index created, 6 idempotency,
 * 7 result cache, 8 cancel request.
 * ARGV: 1 expected version, 2 taskId, 3 has idempotency ('1'), 4 has a cache entry ('1').
 * Returns 1 when deleted, 0 when the record changed or is gone.
 */
export const deleteTaskScript = new LuaScript(`
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[8])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('ZREM', KEYS[5], ARGV[2])
if ARGV[3] == '1' and redis.call('GET', KEYS[6]) == ARGV[2] then redis.call('DEL', KEYS[6]) end
if ARGV[4] == '1' and redis.call('GET', KEYS[7]) == ARGV[2] then redis.call('DEL', KEYS[7]) end
return 1
`);
