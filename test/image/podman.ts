/** The farm's container image run with podman, as docker/README.md runs it on hosts without Docker. */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../renderer/package-root.js';

const run = promisify(execFile);

export const FARM_IMAGE = process.env.FARM_IMAGE ?? 'localhost/echarts-farm:latest';
/** runc instead of crun, no raised limits (docker/containers.conf). */
const PODMAN_ENV = { ...process.env, CONTAINERS_CONF: join(packageRoot(), 'docker', 'containers.conf') };
const RUN_LIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=4000:4000'];

export interface PodmanResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function podman(args: string[], timeoutMs = 120_000): Promise<PodmanResult> {
  try {
    const { stdout, stderr } = await run('podman', args, { env: PODMAN_ENV, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

/** A free loopback port: containers share the host's network, so each takes ports nobody holds. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ContainerOptions {
  name: string;
  role: 'serve' | 'api' | 'worker';
  env: Record<string, string>;
  /** host path → container path (`:ro` may follow the container path). */
  volumes?: Record<string, string>;
}

/** Starts a detached container on the host network (loopback only: HOST=127.0.0.1). */
export async function startContainer(options: ContainerOptions): Promise<void> {
  const env = { HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env };
  const args = ['run', '-d', '--name', options.name, '--network', 'host', '--shm-size=1g', ...RUN_LIMITS];
  for (const [name, value] of Object.entries(env)) args.push('-e', `${name}=${value}`);
  for (const [host, inside] of Object.entries(options.volumes ?? {})) args.push('-v', `${host}:${inside}`);
  args.push(FARM_IMAGE, 'node', 'dist/cli/main.js', options.role);
  const started = await podman(args);
  if (started.code !== 0) throw new Error(`podman run ${options.name}: ${started.stderr}`);
}

export async function exec(name: string, command: string[]): Promise<PodmanResult> {
  return podman(['exec', name, ...command]);
}

export async function logsOf(name: string): Promise<string> {
  const logs = await podman(['logs', name]);
  return `${logs.stdout}${logs.stderr}`;
}

export async function removeContainers(names: string[]): Promise<void> {
  if (names.length > 0) await podman(['rm', '-f', '-t', '0', ...names]);
}
