/**
 * The parts of the client that need no farm: the event-stream reader on awkward chunking, the
 * Retry-After reader, and the rule that keeps the client package free of the rest of the farm.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readEventStream, type ServerSentEvent } from '../../client/event-stream.js';
import { retryAfterMs } from '../../client/retry-after.js';
import { packageRoot } from '../../renderer/package-root.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function eventsOf(chunks: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readEventStream(streamOf(chunks))) events.push(event);
  return events;
}

describe('readEventStream', () => {
  it('reads events split anywhere, with CRLF, comments and multi-line data', async () => {
    const events = await eventsOf(['id: 1\r\nevent: sta', 'tus\r\ndata: {"a"', ':1}\r\n\r\n: keep-alive\n\n', 'data: one\ndata: two\n\n', 'data: cut']);
    assert.deepEqual(events, [
      { event: 'status', data: '{"a":1}', id: '1' },
      { event: 'message', data: 'one\ntwo', id: '1' },
    ]);
  });

  it('splits a multi-byte character across chunks without damage', async () => {
    const bytes = new TextEncoder().encode('data: 图表\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const event of readEventStream(stream)) events.push(event);
    assert.equal(events[0]?.data, '图表');
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    assert.equal(retryAfterMs('5'), 5000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 10_000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT')), 0);
    assert.equal(retryAfterMs(null), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
  });
});

describe('the client package', () => {
  it('imports nothing from outside client/, not even types: its package holds only client/', () => {
    const dir = join(packageRoot(), 'client');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const match of source.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const target = match[3]!;
        assert.ok(target.startsWith('./'), `${file} imports ${target}; the client package stands alone (declare the type in client/types.ts)`);
      }
    }
  });
});
