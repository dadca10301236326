/**
 * One status line on stderr, rewritten in place, with the elapsed time. When stderr is not a
 * terminal (CI logs, a file) a fresh line is written every few seconds instead, so logs stay short.
 */
const LOG_EVERY_MS = 15_000;

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export class ProgressLine {
  private readonly started = performance.now();
  private lastLogged = -Infinity;
  private lastText = '';
  private readonly inPlace: boolean;
  /** Redraws every second, so the clock moves during a slow render too. */
  private readonly ticker: NodeJS.Timeout | undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.inPlace = stream.isTTY === true;
    if (this.inPlace) this.ticker = setInterval(() => this.update(this.lastText), 1000).unref();
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }

  update(text: string): void {
    this.lastText = text;
    const line = `[${formatDuration(this.elapsedMs)}] ${text}`;
    if (this.inPlace) {
      // Cut to the terminal's width: a wrapped line can no longer be rewritten in place.
      this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (this.stream.columns ?? 120) - 1))}`);
    } else if (this.elapsedMs - this.lastLogged >= LOG_EVERY_MS) {
      this.lastLogged = this.elapsedMs;
      this.stream.write(`${line}\n`);
    }
  }

  /** Replaces the line with a final one and moves below it. */
  done(text: string): void {
    clearInterval(this.ticker);
    if (this.inPlace) this.stream.write(`\r\x1b[2K`);
    this.stream.write(`[${formatDuration(this.elapsedMs)}] ${text}\n`);
  }
}
