/**
 * Drives the benchmark's HTTP client (http-load-process.ts) in a child process: one command at a
 * time over IPC, each answered with its measurements.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../renderer/package-root.js';
import type {
  AcceptCommand,
  AcceptResult,
  FromClient,
  LoadCommand,
  LoadResult,
  RoundTripCommand,
  RoundTripResult,
  ToClient,
} from './http-load-process.js';

const CLIENT_SCRIPT = fileURLToPath(new URL('./http-load-process.ts', import.meta.url));

export class HttpLoadClient {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (result: LoadResult) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: FromClient) => {
      if ('ready' in message) return;
      const waiter = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if ('error' in message) waiter?.reject(new Error(`HTTP client: ${message.error}`));
      else waiter?.resolve(message.result);
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error(`the HTTP client exited (${signal ?? code})`));
      this.waiting.clear();
    });
  }

  /** Starts the client process (TypeScript through tsx, like the farm's own child processes). */
  static async start(): Promise<HttpLoadClient> {
    const child = fork(CLIENT_SCRIPT, [], { cwd: packageRoot(), execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => Promise.reject(new Error(`the HTTP client exited with ${code} before it was ready`))),
    ])) as [FromClient];
    if (!('ready' in message)) throw new Error('the HTTP client did not say it was ready');
    return new HttpLoadClient(child);
  }

  accept(command: Omit<AcceptCommand, 'kind'>): Promise<AcceptResult> {
    return this.run({ kind: 'accept', ...command }) as Promise<AcceptResult>;
  }

  roundTrip(command: Omit<RoundTripCommand, 'kind'>): Promise<RoundTripResult> {
    return this.run({ kind: 'round-trip', ...command }) as Promise<RoundTripResult>;
  }

  close(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }

  private run(command: LoadCommand): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const message: ToClient = { id, command };
      this.child.send(message, (error) => {
        if (!error) return;
        this.waiting.delete(id);
        reject(error);
      });
    });
  }
}
