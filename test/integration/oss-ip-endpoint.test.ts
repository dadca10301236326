/**
 * The `oss` driver with an IP address as OSS_ENDPOINT (a VPC endpoint, an OSS-compatible server),
 * against a fake OSS on 127.0.0.1: requests go to the address, the bucket is named in the Host
 * header, and the startup check, uploads, reads and deletes work.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ossStoreOptions, type OssSettings } from '../../storage/oss-options.js';
import { OssObjectStore } from '../../storage/oss-store.js';

interface SeenRequest {
  method: string;
  path: string;
  host: string | undefined;
  authorization: string | undefined;
}

const seen: SeenRequest[] = [];
const objects = new Map<string, Buffer>();
let server: Server;
let endpoint: string;

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Just enough of OSS: PUT, GET, HEAD and DELETE of objects, by path. */
before(async () => {
  server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url!, 'http://fake').pathname);
    seen.push({ method: request.method!, path, host: request.headers.host, authorization: request.headers.authorization });
    const stored = objects.get(path);
    if (request.method === 'PUT') {
      objects.set(path, await bodyOf(request));
      response.writeHead(200, { etag: '"FAKE"' }).end();
    } else if (request.method === 'DELETE') {
      objects.delete(path);
      response.writeHead(204).end();
    } else if (!stored) {
      response.writeHead(404, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
    } else {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': stored.length, etag: '"FAKE"' }).end(request.method === 'HEAD' ? undefined : stored);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server?.close());

function store(settings: Partial<OssSettings> = {}): OssObjectStore {
  return new OssObjectStore(ossStoreOptions({ accessKeyId: 'AKIDTEST', accessKeySecret: 'test-secret', bucket: 'farm-bucket', region: 'cn-hangzhou', endpoint, ...settings }));
}

describe('OSS_ENDPOINT as an IP address', () => {
  it('passes the startup check, stores, reads and deletes, naming the bucket in the Host header', async () => {
    const oss = store();
    await oss.check();
    const bytes = Buffer.from('not really a png');
    await oss.put('charts/a.png', bytes, { contentType: 'image/png' });
    const read = await oss.get('charts/a.png');
    assert.ok(read);
    const chunks: Buffer[] = [];
    for await (const chunk of read.stream) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), bytes);
    assert.notEqual(await oss.head('charts/a.png'), null);
    await oss.delete('charts/a.png');
    assert.equal(await oss.get('charts/a.png'), null);

    assert.ok(seen.length >= 6, JSON.stringify(seen));
    for (const request of seen) {
      assert.equal(request.host, 'farm-bucket.oss-cn-hangzhou.aliyuncs.com');
      assert.match(request.authorization ?? '', /^OSS AKIDTEST:/);
    }
    assert.deepEqual(seen.filter((request) => request.path === '/charts/a.png').map((request) => request.method), ['PUT', 'GET', 'HEAD', 'DELETE', 'GET']);
  });

  it('leaves public URLs to the farm: nothing outside reaches an object by the address', () => {
    assert.equal(store().publicUrl('charts/a.png'), null);
    assert.equal(store({ customDomain: 'https://img.example.com' }).publicUrl('charts/a.png'), 'https://img.example.com/charts/a.png');
  });
});
