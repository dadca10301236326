import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { LocalObjectStore } from '../../storage/local-store.js';
import { StorageError } from '../../storage/storage-error.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

async function storageErrorOf(action: () => Promise<unknown>): Promise<StorageError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof StorageError, `a StorageError, got ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

describe('LocalObjectStore', () => {
  let sandbox: string;
  let root: string;
  let store: LocalObjectStore;

  before(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'farm-local-store-'));
    // Nested and missing: the store creates it.
    root = join(sandbox, 'objects', 'root');
    store = new LocalObjectStore({ root });
  });
  after(() => rm(sandbox, { recursive: true, force: true }));

  it('check() creates a missing root and leaves nothing in it', async () => {
    await store.check();
    assert.ok((await stat(root)).isDirectory());
    assert.deepEqual(await filesUnder(root), []);
  });

  it('check() names the directory when the root is a file', async () => {
    const file = join(sandbox, 'a-file');
    await writeFile(file, 'x');
    const error = await storageErrorOf(() => new LocalObjectStore({ root: file }).check());
    assert.equal(error.code, 'MISCONFIGURED');
    assert.match(error.message, /LOCAL_STORAGE_DIR .*a-file/);
  });

  it('stores bytes and answers them with content type, cache header, sha256 etag and dates', async () => {
    const before = Date.now() - 1000;
    const put = await store.put('farm/2024/01/02/a.png', PNG, { contentType: 'image/png', cacheControl: 'public, max-age=60' });
    const etag = `"${createHash('sha256').update(PNG).digest('hex')}"`;
    assert.deepEqual(put, { key: 'farm/2024/01/02/a.png', bytes: PNG.length, etag });

    const object = await store.get('farm/2024/01/02/a.png');
    assert.ok(object !== null);
    assert.deepEqual(await readAll(object.stream), PNG);
    assert.equal(object.size, PNG.length);
    assert.equal(object.contentType, 'image/png');
    assert.equal(object.cacheControl, 'public, max-age=60');
    assert.equal(object.etag, etag);
    assert.equal(object.range, null);
    assert.ok(object.lastModified.getTime() >= before);
    assert.deepEqual(await store.head('farm/2024/01/02/a.png'), { size: PNG.length, contentType: 'image/png', cacheControl: 'public, max-age=60', etag, lastModified: object.lastModified });
  });

  it('writes through a temporary file: only the object and its sidecar remain', async () => {
    await store.put('atomic/x.svg', Buffer.from('<svg/>'), { contentType: 'image/svg+xml' });
    assert.deepEqual(await filesUnder(join(root, 'atomic')), ['x.svg', 'x.svg.meta.json']);
  });

  it('serves byte ranges, cutting an end past the last byte', async () => {
    await store.put('range.png', PNG, { contentType: 'image/png' });
    const middle = await store.get('range.png', { start: 2, end: 5 });
    assert.ok(middle !== null);
    assert.deepEqual(await readAll(middle.stream), PNG.subarray(2, 6));
    assert.deepEqual(middle.range, { start: 2, end: 5 });
    assert.equal(middle.size, PNG.length, 'size is the whole object, for Content-Range');

    const tail = await store.get('range.png', { start: PNG.length - 3, end: 10_000 });
    assert.ok(tail !== null);
    assert.deepEqual(await readAll(tail.stream), PNG.subarray(PNG.length - 3));
    assert.deepEqual(tail.range, { start: PNG.length - 3, end: PNG.length - 1 });

    const first = await store.get('range.png', { start: 0, end: 0 });
    assert.ok(first !== null);
    assert.deepEqual(await readAll(first.stream), PNG.subarray(0, 1));
  });

  for (const [what, range] of [
    ['starting past the end', { start: PNG.length, end: PNG.length + 5 }],
    ['ending before it starts', { start: 5, end: 2 }],
    ['with a negative start', { start: -1, end: 2 }],
    ['with fractions', { start: 0.5, end: 2 }],
  ] as const) {
    it(`refuses a range ${what} with INVALID_RANGE`, async () => {
      const error = await storageErrorOf(() => store.get('range.png', range));
      assert.equal(error.code, 'INVALID_RANGE');
      assert.equal(error.retryable, false);
    });
  }

  it('answers null for a missing object, a directory, or a path through a file', async () => {
    assert.equal(await store.get('missing/none.png'), null);
    assert.equal(await store.head('missing/none.png'), null);
    assert.equal(await store.get('farm/2024'), null);
    assert.equal(await store.get('range.png/inside.png'), null);
  });

  it('replaces an object, etag included', async () => {
    await store.put('replace.png', Buffer.from('one'), { contentType: 'image/png' });
    const second = await store.put('replace.png', Buffer.from('second'), { contentType: 'image/webp' });
    const object = await store.get('replace.png');
    assert.ok(object !== null);
    assert.equal((await readAll(object.stream)).toString(), 'second');
    assert.equal(object.etag, second.etag);
    assert.equal(object.contentType, 'image/webp');
  });

  it('keeps one whole version when the same key is written concurrently', async () => {
    const versions = Array.from({ length: 8 }, (_, index) => Buffer.alloc(64 * 1024 + index, index + 1));
    await Promise.all(versions.map((bytes) => store.put('race.png', bytes, { contentType: 'image/png' })));
    const object = await store.get('race.png');
    assert.ok(object !== null);
    const bytes = await readAll(object.stream);
    assert.ok(versions.some((version) => version.equals(bytes)), 'one of the written versions, whole');
    assert.equal(object.etag, `"${createHash('sha256').update(bytes).digest('hex')}"`);
    assert.deepEqual((await filesUnder(root)).filter((file) => file.startsWith('race')), ['race.png', 'race.png.meta.json']);
  });

  it('derives type and etag from the file when its sidecar is lost', async () => {
    await store.put('lost/chart.jpg', PNG, { contentType: 'image/jpeg', cacheControl: 'no-store' });
    await unlink(join(root, 'lost', 'chart.jpg.meta.json'));
    const info = await store.head('lost/chart.jpg');
    assert.ok(info !== null);
    assert.equal(info.contentType, 'image/jpeg');
    assert.equal(info.etag, `"${createHash('sha256').update(PNG).digest('hex')}"`);
    assert.equal(info.cacheControl, null);
  });

  it('deletes the object and its sidecar; deleting again or a missing key succeeds', async () => {
    await store.put('gone/a.pdf', PNG, { contentType: 'application/pdf' });
    await store.delete('gone/a.pdf');
    assert.equal(await store.get('gone/a.pdf'), null);
    assert.deepEqual(await filesUnder(join(root, 'gone')), []);
    await store.delete('gone/a.pdf');
    await store.delete('never/was.png');
  });

  it('has no public or signed URL and describes itself', async () => {
    assert.equal(store.publicUrl(), null);
    assert.equal(await store.signedUrl(), null);
    assert.deepEqual(store.describe(), { driver: 'local', root });
  });

  const hostileKeys = [
    '',
    '..',
    '../escape.png',
    'a/../../escape.png',
    'a/..',
    './a.png',
    'a/./b.png',
    '/etc/passwd',
    '//server/share.png',
    'a\\..\\..\\escape.png',
    'a\u0000b.png',
    'a\nb.png',
    'a\u007fb.png',
    'a//b.png',
    'dir/',
    'x.png.meta.json',
    'x.png.1234.tmp',
    'k'.repeat(1024),
  ];
  for (const key of hostileKeys) {
    it(`refuses the key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 20)}…(${key.length})` : key)} for every operation`, async () => {
      const before = await filesUnder(sandbox);
      for (const action of [
        () => store.put(key, PNG, { contentType: 'image/png' }),
        () => store.get(key),
        () => store.head(key),
        () => store.delete(key),
      ]) {
        const error = await storageErrorOf(action);
        assert.equal(error.code, 'INVALID_KEY');
        assert.equal(error.retryable, false);
      }
      assert.deepEqual(await filesUnder(sandbox), before, 'nothing written anywhere');
    });
  }
});
