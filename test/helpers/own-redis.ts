/**
 * A redis-server of the test's own, on a free loopback port, with an append-only file in a
 * temporary folder: a test may stop it and start it again on the same port and data (the shared
 * Redis on 6379 is never stopped).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sparePort } from './spare-port.js';

export interface OwnRedis {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: an outage, not a goodbye); what was fsynced to the append-only file stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder (unless it runs); resolves once it answers. */
  start(): Promise<void>;
  /** Stops it for good and deletes its folder. */
  dispose(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await sparePort();
  const dir = mkdtempSync(join(tmpdir(), 'farm-own-redis-'));
  let server: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;
  const running = (): boolean => server !== undefined && server.exitCode === null && server.signalCode === null;
  const start = async (): Promise<void> => {
    if (running()) return;
    // appendfsync always: every accepted write is on disk before Redis answers it.
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        probe.disconnect();
      }
    }
  };
  const stop = async (): Promise<void> => {
    if (!running()) return;
    const exited = once(server!, 'exit');
    server!.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    port,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
