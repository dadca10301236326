/**
 * The `oss` driver against nock standing in for the OSS HTTP endpoint: the exact requests ali-oss
 * sends (host, key, headers, signature), retries of network errors and 5xx, UPLOAD_FAILED after the
 * last one, retention deletes, public and custom-domain URLs, signed URLs, and the startup check.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import nock from 'nock';
import pino from 'pino';
import { checkObjectStore, consumerOptions, taskHandler } from '../../farm/task-system.js';
import { ConfigError, configWith } from '../../config/load-config.js';
import type { Config } from '../../config/settings.js';
import { ossStoreOptions, type OssSettings } from '../../storage/oss-options.js';
import { OssObjectStore } from '../../storage/oss-store.js';
import { StorageError } from '../../storage/storage-error.js';
import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { RetentionSweeper } from '../../tasks/retention.js';
import { newTask, waitForStatus } from '../contract/task-queue.contract.js';
import { fixedImageRenderer, TINY_PNG } from '../helpers/fixed-image-renderer.js';
import { rejectionOf } from '../helpers/rejection.js';

const BUCKET_HOST = 'farm-bucket.oss-cn-hangzhou.aliyuncs.com';
const ENDPOINT = `https://${BUCKET_HOST}`;
const SECRET = 'test-secret';
const SETTINGS: OssSettings = { accessKeyId: 'AKIDTEST', accessKeySecret: SECRET, bucket: 'farm-bucket', region: 'cn-hangzhou' };
const silent = pino({ level: 'silent' });

function store(settings: Partial<OssSettings> = {}): OssObjectStore {
  return new OssObjectStore({ ...ossStoreOptions({ ...SETTINGS, ...settings }), retry: { baseDelayMs: 5 } });
}

function ossError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>65A1B2C3D4E5F6</RequestId><HostId>${BUCKET_HOST}</HostId></Error>`;
}

/** What Node's sockets raise when the network fails. */
function networkError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const storageErrorOf = (action: () => Promise<unknown>): Promise<StorageError> => rejectionOf(action, StorageError);

/** The OSS V1 signature of a request, computed from OSS's documentation rather than from ali-oss. */
function ossSignature(stringToSign: string): string {
  return createHmac('sha1', SECRET).update(stringToSign).digest('base64');
}

before(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  assert.deepEqual(pending, [], 'every expected OSS request was made');
});
after(() => nock.enableNetConnect());

describe('OSS uploads', () => {
  it('sends the request OSS expects: bucket host, key, content type, cache header, MD5 and a valid signature', async () => {
    let seen: { headers: Record<string, string | string[] | undefined>; body: Buffer } | undefined;
    nock(ENDPOINT)
      .put('/farm/2024/01/02/chart.png')
      .reply(function (_uri, body) {
        seen = { headers: this.req.headers, body: Buffer.from(body as string, 'hex') };
        return [200, '', { ETag: '"D41D8CD98F00B204E9800998ECF8427E"' }];
      });
    const put = await store().put('farm/2024/01/02/chart.png', TINY_PNG, { contentType: 'image/png', cacheControl: 'public, max-age=60' });
    assert.deepEqual(put, { key: 'farm/2024/01/02/chart.png', bytes: TINY_PNG.length, etag: '"D41D8CD98F00B204E9800998ECF8427E"' });

    const headers = seen!.headers;
    assert.equal(headers.host, BUCKET_HOST);
    assert.equal(headers['content-type'], 'image/png');
    assert.equal(headers['cache-control'], 'public, max-age=60');
    assert.equal(headers['content-length'], String(TINY_PNG.length));
    const md5 = createHash('md5').update(TINY_PNG).digest('base64');
    assert.equal(headers['content-md5'], md5);
    const date = String(headers['x-oss-date']);
    assert.ok(Math.abs(Date.parse(date) - Date.now()) < 60_000, `x-oss-date ${date} is now`);
    const stringToSign = ['PUT', md5, 'image/png', date, `x-oss-date:${date}`, '/farm-bucket/farm/2024/01/02/chart.png'].join('\n');
    assert.equal(headers.authorization, `OSS AKIDTEST:${ossSignature(stringToSign)}`);
  });

  it('retries a 503 and succeeds on the next attempt', async () => {
    nock(ENDPOINT).put('/retry/a.png').reply(503, ossError('ServiceUnavailable', 'Please reduce your request rate.')).put('/retry/a.png').reply(200, '', { ETag: '"AB"' });
    assert.equal((await store().put('retry/a.png', TINY_PNG, { contentType: 'image/png' })).etag, '"AB"');
  });

  it('gives up after three failed attempts (5xx or network) with a retryable UNAVAILABLE error', async () => {
    nock(ENDPOINT)
      .put('/down/a.png')
      .reply(500, ossError('InternalError', 'We encountered an internal error.'))
      .put('/down/a.png')
      .replyWithError(networkError('ECONNRESET', 'socket hang up'))
      .put('/down/a.png')
      .reply(503, ossError('ServiceUnavailable', 'busy'));
    const error = await storageErrorOf(() => store().put('down/a.png', TINY_PNG, { contentType: 'image/png' }));
    assert.equal(error.code, 'UNAVAILABLE');
    assert.equal(error.retryable, true);
    assert.match(error.message, /after 3 attempt\(s\).*503 ServiceUnavailable/);
  });

  it('does not retry a refused key, and says which setting to check', async () => {
    nock(ENDPOINT).put('/denied/a.png').reply(403, ossError('AccessDenied', 'You have no right to access this object.'));
    const error = await storageErrorOf(() => store().put('denied/a.png', TINY_PNG, { contentType: 'image/png' }));
    assert.equal(error.code, 'ACCESS_DENIED');
    assert.equal(error.retryable, false);
    assert.match(error.message, /403 AccessDenied.*OSS_ACCESS_KEY_ID may not upload/);
  });
});

describe('OSS through the task system', () => {
  const config: Config = configWith({ storage: 'oss', ossPathPrefix: '/farm/', queueRetryAttempts: 0, queueRetryBackoffMs: 10 });
  let queue: MemoryTaskQueue;

  before(() => {
    queue = new MemoryTaskQueue();
  });
  after(() => queue.close());

  it('fails a task with a retryable UPLOAD_FAILED after three attempts, keeps serving, and retention deletes the stored image', async () => {
    const oss = store({ pathPrefix: '/farm/' });
    const consumer = queue.consume(taskHandler(config, fixedImageRenderer(), oss, queue), consumerOptions(config, () => undefined));
    try {
      const key = /^\/farm\/charts\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}\.png$/;
      nock(ENDPOINT).put(key).times(3).reply(503, ossError('ServiceUnavailable', 'busy'));
      const doomed = (await queue.submit(newTask({ config: { ...newTask().config, ossPath: 'charts' } }), { maxPending: 10 })).task;
      const failed = await waitForStatus(queue, doomed.taskId, 'failed');
      assert.equal(failed.error?.reason, 'UPLOAD_FAILED');
      assert.equal(failed.error?.retryable, true);
      assert.match(failed.error!.message, /after 3 attempt/);

      let uploaded = '';
      nock(ENDPOINT)
        .put(key)
        .reply(200, (uri) => {
          uploaded = uri;
          return '';
        });
      const stored = (await queue.submit(newTask({ config: { ...newTask().config, ossPath: 'charts' } }), { maxPending: 10 })).task;
      const completed = await waitForStatus(queue, stored.taskId, 'completed');
      assert.equal(`/${completed.objectKey}`, uploaded);
      assert.ok(completed.objectKey!.startsWith('farm/charts/'), 'OSS_PATH_PREFIX, then ossPath');
      assert.equal(completed.imageUrl, `${ENDPOINT}/${completed.objectKey}`, 'a public bucket hands out its own URL');

      nock(ENDPOINT).delete(`/${completed.objectKey}`).reply(204);
      const sweeper = new RetentionSweeper({ queue, store: oss, retentionDays: 1, intervalHours: 1, logger: silent, now: () => new Date(Date.now() + 2 * 86_400_000) });
      assert.deepEqual(await sweeper.sweepOnce(), { tasks: 2, objects: 1 });
    } finally {
      await consumer.close(1000);
    }
  });
});

describe('OSS reads', () => {
  it('streams an object or a range of it, with its metadata', async () => {
    const lastModified = 'Tue, 02 Jan 2024 10:00:00 GMT';
    nock(ENDPOINT)
      .get('/r/a.png')
      .matchHeader('range', 'bytes=2-5')
      .matchHeader('x-oss-range-behavior', 'standard')
      .reply(206, TINY_PNG.subarray(2, 6), { 'content-type': 'image/png', 'content-range': `bytes 2-5/${TINY_PNG.length}`, etag: '"E1"', 'last-modified': lastModified, 'cache-control': 'no-cache' });
    const object = await store().get('r/a.png', { start: 2, end: 5 });
    assert.ok(object !== null);
    const chunks: Buffer[] = [];
    for await (const chunk of object.stream) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), TINY_PNG.subarray(2, 6));
    assert.deepEqual(
      { size: object.size, range: object.range, contentType: object.contentType, etag: object.etag, cacheControl: object.cacheControl, lastModified: object.lastModified.toUTCString() },
      { size: TINY_PNG.length, range: { start: 2, end: 5 }, contentType: 'image/png', etag: '"E1"', cacheControl: 'no-cache', lastModified },
    );
  });

  it('answers null for a missing object and INVALID_RANGE past the end', async () => {
    nock(ENDPOINT)
      .head('/missing.png')
      .reply(404)
      .get('/missing.png')
      .reply(404, ossError('NoSuchKey', 'The specified key does not exist.'))
      .get('/r/a.png')
      .reply(416, ossError('InvalidRange', 'The requested range cannot be satisfied'));
    assert.equal(await store().head('missing.png'), null);
    assert.equal(await store().get('missing.png'), null);
    assert.equal((await storageErrorOf(() => store().get('r/a.png', { start: 999, end: 1000 }))).code, 'INVALID_RANGE');
  });
});

describe('OSS URLs', () => {
  it('builds public URLs on the bucket domain, or on OSS_CUSTOM_DOMAIN, with the key encoded', () => {
    assert.equal(store().publicUrl('a b/ü.png'), `${ENDPOINT}/a%20b/%C3%BC.png`);
    assert.equal(store({ customDomain: 'img.example.com' }).publicUrl('farm/x.png'), 'https://img.example.com/farm/x.png');
    assert.equal(store({ customDomain: 'http://cdn.example.com/' }).publicUrl('farm/x.png'), 'http://cdn.example.com/farm/x.png');
    assert.equal(store({ endpoint: 'oss-cn-hangzhou-internal.aliyuncs.com' }).publicUrl('x.png'), 'https://farm-bucket.oss-cn-hangzhou-internal.aliyuncs.com/x.png');
    assert.equal(store({ private: true }).publicUrl('x.png'), null, 'a private bucket has no public URL');
  });

  it('signs GET URLs with OSSAccessKeyId, Expires and the signature OSS checks, and reports their expiry', async () => {
    for (const [settings, host] of [
      [{ private: true }, BUCKET_HOST],
      [{ private: true, customDomain: 'img.example.com' }, 'img.example.com'],
    ] as const) {
      const before = Math.floor(Date.now() / 1000);
      const signed = await store(settings).signedUrl('farm/2024/a b.png', 600);
      const url = new URL(signed.url);
      assert.equal(url.host, host);
      assert.equal(url.pathname, '/farm/2024/a%20b.png');
      assert.deepEqual([...url.searchParams.keys()].sort(), ['Expires', 'OSSAccessKeyId', 'Signature']);
      assert.equal(url.searchParams.get('OSSAccessKeyId'), 'AKIDTEST');
      const expires = Number(url.searchParams.get('Expires'));
      assert.ok(expires >= before + 600 && expires <= before + 602, `Expires ${expires} is 600 s from now`);
      assert.equal(signed.expiresAt.getTime(), expires * 1000);
      assert.equal(url.searchParams.get('Signature'), ossSignature(`GET\n\n\n${expires}\n/farm-bucket/farm/2024/a b.png`));
    }
  });
});

describe('OSS startup check', () => {
  const config = configWith({ storage: 'oss' });

  it('writes and deletes a probe object below the path prefix', async () => {
    let probe = '';
    nock(ENDPOINT)
      .put(/^\/farm\/\.echarts-farm-probe-[0-9a-f-]+\.txt$/)
      .reply(200, (uri) => {
        probe = uri;
        return '';
      })
      .delete((uri) => uri === probe)
      .reply(204);
    await store({ pathPrefix: 'farm' }).check();
  });

  for (const [what, status, code, message, variable] of [
    ['a wrong bucket', 404, 'NoSuchBucket', 'The specified bucket does not exist.', /OSS_BUCKET names no bucket/],
    ['a wrong region', 403, 'AccessDenied', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', /lives in another region: check OSS_REGION/],
    ['an unknown key', 403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', /OSS_ACCESS_KEY_ID is not an active AccessKey ID/],
    ['a wrong secret', 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', /OSS_ACCESS_KEY_SECRET is not the secret/],
  ] as const) {
    it(`stops startup on ${what}, naming the setting`, async () => {
      nock(ENDPOINT).put(/probe/).reply(status, ossError(code, message));
      const error = await rejectionOf(() => checkObjectStore(config, store()), ConfigError);
      assert.match(error.message, /STORAGE=oss failed its startup check \(STORAGE_CHECK_ON_START\)/);
      assert.match(error.message, variable);
    });
  }

  it('reports an unreachable endpoint as a failure to retry, not as a bad setting', async () => {
    nock(ENDPOINT).put(/probe/).times(3).replyWithError(networkError('ENOTFOUND', `getaddrinfo ENOTFOUND ${BUCKET_HOST}`));
    const error = await rejectionOf(() => checkObjectStore(config, store()), Error);
    assert.ok(!(error instanceof ConfigError));
    assert.match(error.message, /no answer.*ENOTFOUND.*check OSS_REGION/);
  });

  it('skips the check when STORAGE_CHECK_ON_START is false', async () => {
    await checkObjectStore(configWith({ storage: 'oss', storageCheckOnStart: false }), store());
  });
});
