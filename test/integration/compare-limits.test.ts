/**
 * Compare within limits: a PNG whose header declares more pixels than the farm ever renders is
 * refused from its header, before anything inflates, and comparisons run off the event loop.
 */
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { crc32 } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { expectProblem, postJson, readEnvelope, startTestServer, type TestServer } from '../helpers/http.js';
import { encodePng } from '../../renderer/image-compare.js';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A real, valid RGBA PNG of `side`×`side` transparent pixels: a few hundred KB that inflate to side²×4 bytes. */
function bombPng(side: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = deflateSync(Buffer.alloc(side * (1 + side * 4)), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

let server: TestServer;
before(async () => {
  server = await startTestServer(undefined);
});
after(async () => server?.close());

describe('POST /api/charts/compare within limits', () => {
  test('two 6000×6000 PNG bombs are refused from their headers in a moment, naming the limit', async () => {
    const bomb = bombPng(6000).toString('base64');
    assert.ok(bomb.length < 1_000_000);
    const started = performance.now();
    const response = await postJson(`${server.url}/api/charts/compare`, { expected: bomb, actual: bomb });
    const elapsed = performance.now() - started;
    const problem = await expectProblem(response, { status: 400, type: 'VALIDATION_ERROR', reason: 'INVALID_REQUEST' });
    assert.equal((problem.error?.details as Record<string, unknown>).problem, 'IMAGE_TOO_LARGE');
    assert.match(problem.msg, /6000x6000/);
    assert.ok(elapsed < 2_000, `took ${elapsed.toFixed(0)} ms`);
  });

  test('a large comparison within the limit runs off the event loop: /healthz answers meanwhile', async () => {
    const side = 3000;
    const image = encodePng({ width: side, height: side, data: Buffer.alloc(side * side * 4, 200) }).toString('base64');
    let slowest = 0;
    let comparing = true;
    const polling = (async () => {
      while (comparing) {
        const started = performance.now();
        assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        slowest = Math.max(slowest, performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const response = await postJson(`${server.url}/api/charts/compare`, { expected: image, actual: image });
    comparing = false;
    await polling;
    const answer = await readEnvelope<{ match: boolean; totalPixels: number }>(response);
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.deepEqual({ match: answer.data!.match, totalPixels: answer.data!.totalPixels }, { match: true, totalPixels: side * side });
    console.log(`# 3000×3000 compare; slowest /healthz ${slowest.toFixed(0)} ms`);
    assert.ok(slowest < 1_000, `/healthz took ${slowest.toFixed(0)} ms`);
  });
});
