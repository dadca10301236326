/**
 * The farm's pino logger: JSON lines in production, one readable line per entry when a person
 * watches a terminal (terminal-log-line.ts). Secrets never reach a line: fields named like credentials are censored, and every
 * string (messages and errors included) has URL passwords and signed query strings taken out.
 */
import pino, { type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config/settings.js';
import { REDACTED, redactDeep, redactSecrets } from '../config/redact-secrets.js';
import { terminalLogStream } from './terminal-log-line.js';

/** Fields whose value is a credential, at the top level or one or two levels down. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  '["x-api-key"]',
  'password',
  'secret',
  'token',
  'apiKeys',
  'apiKeysFile',
  'jwtSecret',
  'webhookSecret',
  'secretAccessKey',
  'accessKeySecret',
  's3SecretAccessKey',
  'ossAccessKeySecret',
];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => {
  const step = field.startsWith('[') ? field : `.${field}`;
  return [step.startsWith('.') ? field : `*${step}`, `*${step}`, `*.*${step}`];
}).filter((path, index, all) => all.indexOf(path) === index);

/** Options shared by both outputs; exported for tests that log into a buffer. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    // Errors arrive already serialized (below); pino's own serializer would retype them as Object.
    serializers: { err: (value: unknown) => (value instanceof Error ? pino.stdSerializers.err(value) : value) },
    formatters: {
      // Errors are serialized here, before their message and stack are redacted like any string.
      log: (fields) => redactDeep(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, value instanceof Error ? pino.stdSerializers.err(value) : value]))) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
}

/** JSON lines when the output is not a terminal; one readable line per entry when it is. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  const fd = destination === 'stdout' ? 1 : 2;
  const stream = destination === 'stdout' ? process.stdout : process.stderr;
  const options = loggerOptions(config);
  if (stream.isTTY) return pino(options, terminalLogStream(stream));
  return pino(options, pino.destination({ fd, sync: false }));
}
