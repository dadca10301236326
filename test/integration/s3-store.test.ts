/**
 * The `s3` driver against a real S3-compatible server (s3rver, started here on a free port in a
 * temporary folder): upload, read, ranges, presigned URLs fetched over HTTP, delete, the startup
 * check, and a private bucket's images served through the API.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import S3rver from 's3rver';
import { consumerOptions, createImageUrlService, createObjectStore, taskHandler } from '../../farm/task-system.js';
import { configWith } from '../../config/load-config.js';
import type { Config } from '../../config/settings.js';
import { packageRoot } from '../../renderer/package-root.js';
import { s3StoreOptions, type S3Settings } from '../../storage/s3-options.js';
import { S3ObjectStore } from '../../storage/s3-store.js';
import { StorageError } from '../../storage/storage-error.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { waitForStatus } from '../contract/task-queue.contract.js';
import { fixedImageRenderer, TINY_PNG } from '../helpers/fixed-image-renderer.js';
import { postJson, readEnvelope, startTestServer } from '../helpers/http.js';
import { rejectionOf } from '../helpers/rejection.js';
import { deleteKeysBelow, TEST_REDIS_URL } from '../helpers/redis.js';

const BUCKET = 'farm-test';
let directory: string;
let server: S3rver;
let endpoint: string;
const stores: S3ObjectStore[] = [];

/** A store on the test server; s3rver knows the S3RVER key and answers path-style requests. */
function store(settings: Partial<S3Settings> = {}): S3ObjectStore {
  const created = new S3ObjectStore({
    ...s3StoreOptions({ endpoint, bucket: BUCKET, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, pathPrefix: 'farm', ...settings }),
    retry: { baseDelayMs: 5 },
  });
  stores.push(created);
  return created;
}

const storageErrorOf = (action: () => Promise<unknown>): Promise<StorageError> => rejectionOf(action, StorageError);

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'farm-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});

after(async () => {
  for (const created of stores) await created.close();
  await server?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('S3 driver on an S3-compatible server', () => {
  it('uploads, reads back whole and in ranges, serves a presigned URL, and deletes', async () => {
    const s3 = store();
    const key = 'farm/charts/2024/01/02/a b.png';
    const put = await s3.put(key, TINY_PNG, { contentType: 'image/png', cacheControl: 'public, max-age=60' });
    assert.deepEqual(put, { key, bytes: TINY_PNG.length, etag: `"${createHash('md5').update(TINY_PNG).digest('hex')}"` });

    const info = await s3.head(key);
    assert.deepEqual([info?.size, info?.contentType, info?.cacheControl, info?.etag], [TINY_PNG.length, 'image/png', 'public, max-age=60', put.etag]);
    const whole = await s3.get(key);
    assert.deepEqual(await readAll(whole!.stream), TINY_PNG);
    assert.equal(whole!.range, null);
    const part = await s3.get(key, { start: 2, end: 5 });
    assert.deepEqual(await readAll(part!.stream), TINY_PNG.subarray(2, 6));
    assert.deepEqual([part!.range, part!.size], [{ start: 2, end: 5 }, TINY_PNG.length]);

    const signed = await s3.signedUrl(key, 600);
    const url = new URL(signed.url);
    assert.equal(url.pathname, `/${BUCKET}/farm/charts/2024/01/02/a%20b.png`);
    assert.equal(url.searchParams.get('X-Amz-Expires'), '600');
    assert.ok(Math.abs(signed.expiresAt.getTime() - (Date.now() + 600_000)) < 5_000, `expires in 600 s: ${signed.expiresAt.toISOString()}`);
    const fetched = await fetch(signed.url);
    assert.equal(fetched.status, 200);
    assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), TINY_PNG);

    await s3.delete(key);
    assert.equal(await s3.head(key), null);
    assert.equal(await s3.get(key), null);
    assert.equal((await fetch(signed.url)).status, 404);
    await s3.delete(key);
  });

  it('refuses a range past the end with INVALID_RANGE', async () => {
    const s3 = store();
    await s3.put('farm/range.png', TINY_PNG, { contentType: 'image/png' });
    assert.equal((await storageErrorOf(() => s3.get('farm/range.png', { start: 1000, end: 2000 }))).code, 'INVALID_RANGE');
  });

  it('hands out public URLs only with S3_PUBLIC_BASE_URL', () => {
    assert.equal(store({ publicBaseUrl: 'https://cdn.example.com/charts/' }).publicUrl('farm/a b.png'), 'https://cdn.example.com/charts/farm/a%20b.png');
    assert.equal(store().publicUrl('farm/a.png'), null);
    assert.equal(store().describe().private, true);
  });

  it('check() writes and deletes a probe, and names S3_BUCKET when the bucket does not exist', async () => {
    await store().check();
    const error = await storageErrorOf(() => store({ bucket: 'no-such-bucket' }).check());
    assert.equal(error.code, 'MISCONFIGURED');
    assert.match(error.message, /404 NoSuchBucket.*S3_BUCKET names no bucket/);
  });

  it('retries an endpoint that does not answer, then fails with a retryable UNAVAILABLE naming S3_ENDPOINT', async () => {
    const error = await storageErrorOf(() => store({ endpoint: 'http://127.0.0.1:1' }).put('farm/x.png', TINY_PNG, { contentType: 'image/png' }));
    assert.equal(error.code, 'UNAVAILABLE');
    assert.equal(error.retryable, true);
    assert.match(error.message, /after 3 attempt\(s\).*no answer.*ECONNREFUSED.*S3_ENDPOINT/);
  });
});

describe('a private S3 bucket through the API', () => {
  it('answers a signed URL that works, redirects to it, streams through the farm, and counts the cache', async () => {
    const config: Config = configWith({
      storage: 's3',
      s3Endpoint: endpoint,
      s3Bucket: BUCKET,
      s3AccessKeyId: 'S3RVER',
      s3SecretAccessKey: 'S3RVER',
      s3ForcePathStyle: true,
      s3PathPrefix: 'api',
    });
    const s3 = await createObjectStore(config);
    const queue = new MemoryTaskQueue();
    const consumer = queue.consume(taskHandler(config, fixedImageRenderer(), s3, queue), consumerOptions(config, () => undefined));
    const urls = createImageUrlService(config, s3, pino({ level: 'silent' }));
    const api = await startTestServer(undefined, config, { tasks: { queue, accepting: () => true }, store: s3, imageLinks: urls.links });
    try {
      const submitted = await readEnvelope<{ taskId: string }>(await postJson(`${api.url}/api/charts/generate`, { option: { series: [] }, ossPath: 'reports' }));
      const task = await waitForStatus(queue, submitted.data!.taskId, 'completed');
      assert.match(task.objectKey!, /^api\/reports\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}\.png$/);
      assert.equal(task.imageUrl, `/api/images/${task.taskId}`, 'a private bucket has no public URL: clients go through the farm');

      const link = (await readEnvelope<{ url: string; expiresAt: string }>(await fetch(`${api.url}/api/images/${task.taskId}/url`))).data!;
      assert.ok(new URL(link.url).searchParams.has('X-Amz-Signature'));
      assert.ok(Date.parse(link.expiresAt) > Date.now() + 3_000_000, 'SIGNED_URL_TTL_SECONDS (3600) from now');
      assert.deepEqual(Buffer.from(await (await fetch(link.url)).arrayBuffer()), TINY_PNG);

      const redirect = await fetch(`${api.url}/api/images/${task.taskId}?redirect=true`, { redirect: 'manual' });
      assert.equal(redirect.status, 302);
      assert.equal(redirect.headers.get('location'), link.url, 'the cached URL, not a new one');

      const streamed = await fetch(`${api.url}/api/images/${task.taskId}`, { headers: { range: 'bytes=0-3' } });
      assert.equal(streamed.status, 206);
      assert.equal(streamed.headers.get('content-range'), `bytes 0-3/${TINY_PNG.length}`);
      assert.deepEqual(Buffer.from(await streamed.arrayBuffer()), TINY_PNG.subarray(0, 4));

      const status = (await readEnvelope<{ store: Record<string, unknown>; urlCache: unknown }>(await fetch(`${api.url}/api/system/storage`))).data!;
      assert.deepEqual([status.store.driver, status.store.bucket, status.store.private], ['s3', BUCKET, true]);
      assert.deepEqual(status.urlCache, { hits: 1, misses: 1, refreshes: 0, errors: 0 });
      assert.ok(!JSON.stringify(status).includes('S3RVER'), 'no credentials in the status');
    } finally {
      await api.close();
      await urls.close();
      await consumer.close(1000);
      await queue.close();
      await s3.close?.();
    }
  });

  it('answers STORAGE_UNAVAILABLE, retryable, when the store holding a completed image does not answer', async () => {
    const config: Config = configWith({ storage: 's3', s3Endpoint: endpoint, s3Bucket: BUCKET, s3AccessKeyId: 'S3RVER', s3SecretAccessKey: 'S3RVER', s3ForcePathStyle: true });
    const s3 = await createObjectStore(config);
    const queue = new MemoryTaskQueue();
    const consumer = queue.consume(taskHandler(config, fixedImageRenderer(), s3, queue), consumerOptions(config, () => undefined));
    // A second API on the same queue whose S3 endpoint refuses connections: the image is there, the store is not.
    const unreachable = store({ endpoint: 'http://127.0.0.1:1' });
    const api = await startTestServer(undefined, config, { tasks: { queue, accepting: () => true }, store: unreachable });
    try {
      const submitted = await readEnvelope<{ taskId: string }>(await postJson(`${api.url}/api/charts/generate`, { option: { series: [] } }));
      const task = await waitForStatus(queue, submitted.data!.taskId, 'completed');
      const answer = await fetch(`${api.url}/api/images/${task.taskId}`);
      assert.equal(answer.status, 503);
      const envelope = await readEnvelope(answer);
      assert.equal(envelope.error?.reason, 'STORAGE_UNAVAILABLE');
      assert.equal(answer.headers.get('retry-after'), '5', 'the store refused the connection: worth another try');
      assert.match(envelope.msg, new RegExp(`reading the image of task ${task.taskId} failed: .*ECONNREFUSED`));
    } finally {
      await api.close();
      await consumer.close(1000);
      await queue.close();
      await s3.close?.();
    }
  });

  it('with REDIS_URL, API instances share the signed URLs: what one signed, the other answers from the cache', async () => {
    const prefix = `farm-test-${randomUUID().slice(0, 8)}`;
    const config = configWith({ storage: 's3', s3Endpoint: endpoint, s3Bucket: BUCKET, s3AccessKeyId: 'S3RVER', s3SecretAccessKey: 'S3RVER', s3ForcePathStyle: true, redisUrl: TEST_REDIS_URL, queuePrefix: prefix });
    const s3 = await createObjectStore(config);
    const [first, second] = [createImageUrlService(config, s3, pino({ level: 'silent' })), createImageUrlService(config, s3, pino({ level: 'silent' }))];
    const admin = new Redis(TEST_REDIS_URL);
    try {
      await s3.put('shared/a.png', TINY_PNG, { contentType: 'image/png' });
      const fromFirst = await first.links.linkFor('00000000-0000-4000-8000-000000000001', 'shared/a.png');
      const fromSecond = await second.links.linkFor('00000000-0000-4000-8000-000000000001', 'shared/a.png');
      assert.equal(fromSecond.url, fromFirst.url);
      assert.deepEqual([first.links.urlCacheCounts(), second.links.urlCacheCounts()], [
        { hits: 0, misses: 1, refreshes: 0, errors: 0 },
        { hits: 1, misses: 0, refreshes: 0, errors: 0 },
      ]);
      assert.deepEqual(await admin.keys(`${prefix}:signed-url:*`), [`${prefix}:signed-url:shared%2Fa.png`]);
    } finally {
      await first.close();
      await second.close();
      await s3.close?.();
      await deleteKeysBelow(admin, prefix);
      await admin.quit();
    }
  });
});

describe('startup with a wrong bucket', () => {
  it('stops `echarts-farm serve` with exit code 78 before launching Chromium, naming S3_BUCKET', async () => {
    // Not spawnSync: the S3 server runs in this process and must keep answering.
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(packageRoot(), 'cli', 'main.ts'), 'serve'], {
      cwd: packageRoot(),
      timeout: 30_000,
      env: {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'silent',
        STORAGE: 's3',
        S3_ENDPOINT: endpoint,
        S3_BUCKET: 'no-such-bucket',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
        CHROMIUM_PATH: '/nonexistent/chromium',
      },
    }).then(
      () => assert.fail('echarts-farm serve started'),
      (error: { code: number; stderr: string }) => ({ status: error.code, stderr: error.stderr }),
    );
    assert.equal(run.status, 78, run.stderr);
    assert.match(run.stderr, /STORAGE=s3 failed its startup check \(STORAGE_CHECK_ON_START\).*S3_BUCKET names no bucket/s);
  });
});
