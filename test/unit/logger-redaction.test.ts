/** Log lines never carry credentials: censored fields, URL passwords and signed query strings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loggerOptions } from '../../cli/create-logger.js';
import { redactSecrets } from '../../config/redact-secrets.js';

function logged(write: (logger: pino.Logger) => void): Record<string, any>[] {
  const lines: string[] = [];
  write(pino(loggerOptions({ logLevel: 'debug' }), { write: (line: string) => lines.push(line) }));
  return lines.map((line) => JSON.parse(line) as Record<string, any>);
}

describe('redactSecrets', () => {
  it('removes URL passwords, keeps users, hosts and paths', () => {
    assert.equal(redactSecrets('redis://:hunter2@redis:6379/0'), 'redis://:[redacted]@redis:6379/0');
    assert.equal(redactSecrets('at rediss://farm:p%40ss@cache.example.com:6380'), 'at rediss://farm:[redacted]@cache.example.com:6380');
    assert.equal(redactSecrets('http://minio:9000/bucket'), 'http://minio:9000/bucket');
  });

  it('removes the query of signed URLs and keeps other queries', () => {
    assert.equal(
      redactSecrets('https://b.s3.amazonaws.com/k.png?X-Amz-Algorithm=AWS4&X-Amz-Signature=abc'),
      'https://b.s3.amazonaws.com/k.png?[redacted]',
    );
    assert.equal(redactSecrets('"https://b.oss-cn-hangzhou.aliyuncs.com/a.png?OSSAccessKeyId=id&Expires=1&Signature=s"'), '"https://b.oss-cn-hangzhou.aliyuncs.com/a.png?[redacted]"');
    assert.equal(redactSecrets('/api/charts/tasks?status=failed&limit=5'), '/api/charts/tasks?status=failed&limit=5');
    assert.equal(redactSecrets('https://example.com/hook?event=done'), 'https://example.com/hook?event=done');
  });
});

describe('the farm logger', () => {
  it('censors credential fields at any of the first three levels', () => {
    const [line] = logged((logger) =>
      logger.info({ authorization: 'Bearer a', headers: { authorization: 'Bearer b', 'x-api-key': 'k' }, req: { headers: { authorization: 'Bearer c' } }, s3: { secretAccessKey: 's' }, jwtSecret: 'j' }, 'request'),
    );
    const text = JSON.stringify(line);
    for (const secret of ['Bearer a', 'Bearer b', 'Bearer c', '"k"', '"s"', '"j"']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.equal(line!.headers.authorization, '[redacted]');
  });

  it('redacts URLs in messages, fields and errors (message and stack)', () => {
    const [info, failure] = logged((logger) => {
      logger.info({ url: 'redis://:pw1@redis:6379' }, 'connecting to redis://farm:pw2@redis:6379');
      logger.error({ err: new Error('GET https://b.s3.amazonaws.com/k.png?X-Amz-Signature=sig3 failed') }, 'upload failed');
    });
    const text = JSON.stringify([info, failure]);
    for (const secret of ['pw1', 'pw2', 'sig3']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.equal(info!.msg, 'connecting to redis://farm:[redacted]@redis:6379');
    assert.equal(failure!.err.type, 'Error');
    assert.match(failure!.err.stack, /k\.png\?\[redacted\]/);
  });

  it('keeps the ids of its child loggers on every line', () => {
    const lines = logged((logger) => {
      const task = logger.child({ taskId: 't-1' });
      task.debug({ step: 'upload', ms: 3.2 }, 'step upload');
      task.info({}, 'task ended');
    });
    assert.deepEqual(lines.map((line) => line.taskId), ['t-1', 't-1']);
    assert.equal(lines[0]!.step, 'upload');
  });
});
