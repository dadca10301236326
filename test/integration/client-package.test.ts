/**
 * The client as a user gets it: `npm pack` of client/, installed from the tarball into a temporary
 * project of its own, compiled there with tsc against the package's declarations, and run against a
 * started farm, a port where nothing listens and a server that never answers.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../renderer/package-root.js';
import { startFarmProcess, type FarmProcess } from '../helpers/farm-process.js';
import { decodePng } from '../helpers/pixels.js';

const run = promisify(execFile);
const root = packageRoot();
const clientDir = join(root, 'client');
let farm: FarmProcess;
let hangingServer: Server;
let project: string;
let tarball: string;
let seen: ConsumerReport;

interface Failure {
  name: string;
  isClientError: boolean;
  message: string;
  attempts?: number;
  ms: number;
}

interface ConsumerReport {
  render: { contentType: string; bytes: number; fingerprint: string | null };
  finals: { taskId: string; status: string; imageUrl: string; statusUrl: string }[];
  image: { status: number; contentType: string };
  listed: string[];
  unreachable: Failure;
  hanging: Failure;
  hangingByDefault: Failure;
}

/** Listens on a free loopback port and returns its address. */
async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

before(async () => {
  const work = mkdtempSync(join(tmpdir(), 'farm-client-package-'));
  const [started] = await Promise.all([
    startFarmProcess('serve', { LOCAL_STORAGE_DIR: join(work, 'images') }),
    run('npm', ['pack', '--pack-destination', work], { cwd: clientDir, timeout: 180_000 }),
  ]);
  farm = started;
  tarball = join(work, readdirSync(work).find((name) => name.endsWith('.tgz'))!);

  project = join(work, 'consumer');
  await run('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--offline'], { cwd: project, timeout: 120_000 });
  copyFileSync(join(root, 'test', 'fixtures', 'client-consumer', 'consumer.ts'), join(project, 'consumer.ts'));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // --types: the consumer's own @types/node is borrowed from the checkout; the package itself needs none.
  await run(process.execPath, [tsc, '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--lib', 'ES2022,DOM', '--typeRoots', join(root, 'node_modules', '@types'), '--types', 'node', 'consumer.ts'], { cwd: project, timeout: 120_000 });

  const dead = createServer();
  const deadUrl = await listen(dead);
  await new Promise((resolve) => dead.close(resolve));
  hangingServer = createServer(() => undefined);
  const hangingUrl = await listen(hangingServer);
  const { stdout } = await run(process.execPath, ['consumer.js'], {
    cwd: project,
    env: { ...process.env, FARM_URL: farm.url, DEAD_URL: deadUrl, HANGING_URL: hangingUrl },
    timeout: 120_000,
  });
  seen = JSON.parse(stdout) as ConsumerReport;
});

after(async () => {
  hangingServer?.close();
  await farm?.stop('SIGKILL');
});

describe('the client package', () => {
  it('packs only its built modules and declarations, with no dependency, at the farm version', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').sort();
    assert.ok(files.includes('package/dist/index.js') && files.includes('package/dist/index.d.ts'), files.join(' '));
    assert.deepEqual(files.filter((file) => !/^package\/(package\.json|README\.md|dist\/[\w-]+\.(js|d\.ts))$/.test(file)), []);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', '@echarts-farm', 'client', 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.version, (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    assert.deepEqual(readdirSync(join(project, 'node_modules')).sort(), ['.package-lock.json', '@echarts-farm']);
  });

  it('renders, queues, waits, and lists every task with for await, from the installed tarball', () => {
    assert.equal(seen.render.contentType, 'image/png');
    assert.match(seen.render.fingerprint ?? '', /^\w+$/);
    assert.deepEqual(seen.finals.map((task) => task.status), ['completed', 'completed']);
    for (const task of seen.finals) assert.ok(seen.listed.includes(task.taskId), 'tasks() went past the first page of one');
    assert.equal(new Set(seen.listed).size, seen.listed.length);
  });

  it('answers absolute URLs that can be fetched as they are', async () => {
    const [first] = seen.finals;
    assert.equal(first!.imageUrl, `${farm.url}/api/images/${first!.taskId}`);
    assert.equal(first!.statusUrl, `${farm.url}/api/charts/status/${first!.taskId}`);
    assert.deepEqual(seen.image, { status: 200, contentType: 'image/png' });
    const bytes = Buffer.from(await (await fetch(first!.imageUrl)).arrayBuffer());
    assert.equal(decodePng(bytes).width, 220);
  });

  it('turns a refused connection into FarmConnectionError after retries with backoff', () => {
    const { unreachable } = seen;
    assert.equal(unreachable.name, 'FarmConnectionError');
    assert.equal(unreachable.isClientError, true);
    assert.equal(unreachable.attempts, 3);
    assert.match(unreachable.message, /GET http:\/\/127\.0\.0\.1:\d+\/api\/charts\/status\/any: the farm cannot be reached \(connect ECONNREFUSED/);
    // Backoff of 250 and 500 ms between the three attempts.
    assert.ok(unreachable.ms >= 700, `${unreachable.ms} ms`);
  });

  it('gives up after timeoutMs with FarmTimeoutError, per call or by the client default', () => {
    for (const hanging of [seen.hanging, seen.hangingByDefault]) {
      assert.equal(hanging.name, 'FarmTimeoutError');
      assert.equal(hanging.isClientError, true);
      assert.match(hanging.message, /no answer within 300 ms/);
      assert.ok(hanging.ms >= 290 && hanging.ms < 5_000, `${hanging.ms} ms`);
    }
  });
});
