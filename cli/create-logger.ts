import pino, { type Logger } from 'pino';
import type { Config } from '../config/settings.js';

/** JSON lines in production; readable lines when a person watches a terminal. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  const fd = destination === 'stdout' ? 1 : 2;
  const stream = destination === 'stdout' ? process.stdout : process.stderr;
  const options = {
    level: config.logLevel,
    base: { pid: process.pid },
    redact: { paths: ['*.authorization', '*.secret', '*.password', 'req.headers.authorization'], censor: '[redacted]' },
  };
  if (stream.isTTY) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: fd, translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(options, pino.destination({ fd, sync: false }));
}
