/**
 * One table of error reasons: every error the farm throws takes its family, HTTP status and
 * retryability from its row, every reason thrown anywhere has a row, and no room below the HTTP
 * server picks an HTTP status itself.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_REASON_DOCS, ERROR_REASONS } from '../../errors/error-reasons.js';
import { FarmError, processingError, systemError, validationError } from '../../errors/farm-error.js';
import { packageRoot } from '../../renderer/package-root.js';

const SOURCE_ROOMS = ['cli', 'config', 'errors', 'farm', 'measure', 'regression', 'renderer', 'server', 'storage', 'tasks'];
const BELOW_HTTP = ['renderer', 'tasks', 'storage', 'regression', 'measure'];

function sources(room: string): { path: string; text: string }[] {
  const folder = join(packageRoot(), room);
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .map((path) => ({ path: relative(packageRoot(), path), text: readFileSync(path, 'utf8') }));
}

describe('error reasons', () => {
  it('give every error its family, status and retryability from the table', () => {
    for (const reason of ERROR_REASONS) {
      const row = ERROR_REASON_DOCS[reason];
      const error = new FarmError({ reason, message: 'm' });
      assert.deepEqual([error.type, error.status, error.retryable], [row.type, row.status, row.retryable], reason);
      assert.ok(row.status >= 400 && row.status <= 599, `${reason} has an HTTP error status`);
    }
    assert.equal(validationError('NOT_FOUND', 'm').status, 404);
    assert.equal(processingError('RENDER_TIMEOUT', 'm').status, 504);
    assert.equal(systemError('QUEUE_FULL', 'm').retryable, true);
    assert.equal(systemError('BROWSER_CRASHED', 'm', { retryable: false }).retryable, false, 'a thrower may say one case is not retryable');
  });

  it('has a row for every reason thrown anywhere in the sources', () => {
    const thrown = new Set<string>();
    const call = /\b(?:validationError|processingError|systemError|notReady)\(\s*'([A-Z_]+)'|(?<!cause: \{ )\breason:\s*'([A-Z_]+)'/g;
    for (const room of SOURCE_ROOMS) {
      for (const { text } of sources(room)) for (const match of text.matchAll(call)) thrown.add(match[1] ?? match[2]!);
    }
    assert.ok(thrown.size > 15, `the scan found the thrown reasons (${thrown.size})`);
    assert.deepEqual([...thrown].filter((reason) => !(reason in ERROR_REASON_DOCS)), []);
  });

  it('is never bypassed below the HTTP server: no HTTP status picked in renderer, tasks, storage, regression or measure', () => {
    const picked = BELOW_HTTP.flatMap((room) =>
      sources(room).flatMap(({ path, text }) =>
        text.split('\n').flatMap((line, index) => (/\bstatus:\s*[45]\d\d\b/.test(line) ? [`${path}:${index + 1}: ${line.trim()}`] : [])),
      ),
    );
    assert.deepEqual(picked, []);
  });
});
