/**
 * The logging the Redis backend needs: a pino Logger fits, and so does anything with these methods.
 */
export interface RedisQueueLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Drops everything: the default when no logger is given. */
export const silentRedisQueueLogger: RedisQueueLogger = {
  warn() {},
  error() {},
};
