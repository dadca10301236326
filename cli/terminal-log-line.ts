/**
 * The farm's log entries as a person reads them in a terminal: one line each,
 * `14:02:11.532 INFO  POST /api/charts/generate 200 84ms png 600×400 req=3f2a…`, the other fields as
 * key=value, the request id last. Only an error at level error or worse adds its stack below.
 */
import { Writable } from 'node:stream';

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every entry has, or that the line shows in its own place. */
const SHOWN_ELSEWHERE: ReadonlySet<string> = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'requestId', 'err']);
/** Fields the headline (msg) already says: `request` is the access log's. */
const SAID_BY_HEADLINE: ReadonlySet<string> = new Set(['request']);
const ERROR_LEVEL = 50;

function clock(time: unknown): string {
  const date = new Date(typeof time === 'number' ? time : Date.now());
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** One entry (a parsed pino line) as one terminal line, ending in a newline. */
export function terminalLogLine(entry: Record<string, unknown>): string {
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const parts = [clock(entry.time), (LEVEL_NAMES[level] ?? String(level)).padEnd(5), String(entry.msg ?? '')];
  for (const [key, value] of Object.entries(entry)) {
    if (!SHOWN_ELSEWHERE.has(key) && !SAID_BY_HEADLINE.has(key) && value !== undefined) parts.push(`${key}=${valueText(value)}`);
  }
  const err = entry.err as { message?: unknown; stack?: unknown } | undefined;
  if (err) parts.push(`err=${valueText(err.message ?? err)}`);
  if (typeof entry.requestId === 'string') parts.push(`req=${entry.requestId}`);
  const stack = level >= ERROR_LEVEL && typeof err?.stack === 'string' ? `\n${err.stack.replace(/^/gm, '    ')}` : '';
  return `${parts.join(' ')}${stack}\n`;
}

/** A stream for pino that writes each JSON line it gets to `target` as a terminal line. */
export function terminalLogStream(target: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() === '') continue;
        try {
          target.write(terminalLogLine(JSON.parse(line) as Record<string, unknown>));
        } catch {
          target.write(`${line}\n`);
        }
      }
      done();
    },
  });
}
