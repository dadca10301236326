import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FarmError } from '../../errors/farm-error.js';
import { MAX_OSS_PATH_LENGTH, fileNameFor, objectKeyFor, validateOssPath } from '../../tasks/object-keys.js';

const TASK_ID = '7d9f3c4e-2b1a-4c8d-9e0f-123456789abc';

function rejection(value: unknown): FarmError {
  try {
    validateOssPath(value);
  } catch (error) {
    assert.ok(error instanceof FarmError, `a FarmError, got ${String(error)}`);
    return error;
  }
  assert.fail(`ossPath ${JSON.stringify(value)} was accepted`);
}

describe('objectKeyFor', () => {
  it('joins prefix, ossPath, the UTC date and the file name', () => {
    const key = objectKeyFor({ prefix: 'farm', ossPath: 'reports/daily', taskId: TASK_ID, type: 'png', createdAt: '2024-03-05T10:00:00.000Z' });
    assert.equal(key, `farm/reports/daily/2024/03/05/${TASK_ID}.png`);
  });

  it('skips empty parts and stray slashes of the prefix', () => {
    const base = { taskId: TASK_ID, type: 'svg', createdAt: '2024-03-05T10:00:00.000Z' } as const;
    assert.equal(objectKeyFor({ ...base, prefix: null, ossPath: null }), `2024/03/05/${TASK_ID}.svg`);
    assert.equal(objectKeyFor({ ...base, prefix: '', ossPath: 'a' }), `a/2024/03/05/${TASK_ID}.svg`);
    assert.equal(objectKeyFor({ ...base, prefix: '/charts/', ossPath: null }), `charts/2024/03/05/${TASK_ID}.svg`);
  });

  it('dates by UTC, not by the offset the timestamp was written in', () => {
    const key = objectKeyFor({ prefix: null, ossPath: null, taskId: TASK_ID, type: 'pdf', createdAt: '2024-12-31T23:30:00-02:00' });
    assert.equal(key, `2025/01/01/${TASK_ID}.pdf`);
    assert.equal(objectKeyFor({ prefix: null, ossPath: null, taskId: TASK_ID, type: 'pdf', createdAt: new Date(Date.UTC(2024, 0, 9)) }), `2024/01/09/${TASK_ID}.pdf`);
  });

  it('stores jpeg as .jpg and keeps the other extensions', () => {
    assert.equal(fileNameFor(TASK_ID, 'jpeg'), `${TASK_ID}.jpg`);
    for (const type of ['png', 'webp', 'svg', 'pdf'] as const) assert.equal(fileNameFor(TASK_ID, type), `${TASK_ID}.${type}`);
  });

  it('refuses a task id or date that cannot be part of a key', () => {
    assert.throws(() => objectKeyFor({ prefix: null, ossPath: null, taskId: '../x', type: 'png', createdAt: '2024-01-01T00:00:00Z' }), TypeError);
    assert.throws(() => objectKeyFor({ prefix: null, ossPath: null, taskId: TASK_ID, type: 'png', createdAt: 'yesterday' }), TypeError);
  });
});

describe('validateOssPath', () => {
  const accepted: [unknown, string | null][] = [
    [undefined, null],
    [null, null],
    ['', null],
    ['/', null],
    ['charts', 'charts'],
    ['a/b-c_d.e/2024', 'a/b-c_d.e/2024'],
    ['/charts/daily/', 'charts/daily'],
    ['reports/', 'reports'],
    ['报表/月度', '报表/月度'],
    ['レポート/データ', 'レポート/データ'],
    ['ひらがな', 'ひらがな'],
    ['보고서', '보고서'],
    ['二〇二四年々', '二〇二四年々'],
    ['...hidden', '...hidden'],
    ['x'.repeat(MAX_OSS_PATH_LENGTH), 'x'.repeat(MAX_OSS_PATH_LENGTH)],
  ];
  for (const [value, expected] of accepted) {
    it(`accepts ${JSON.stringify(value)} as ${JSON.stringify(expected)}`, () => {
      assert.equal(validateOssPath(value), expected);
    });
  }

  const hostile: [string, unknown][] = [
    ['a number', 42],
    ['an object', { path: 'a' }],
    ['an array', ['a', 'b']],
    ['a boolean', true],
    ['a parent segment', '..'],
    ['a parent segment inside', 'a/../b'],
    ['a leading parent segment', '../etc/passwd'],
    ['a trailing parent segment', 'a/..'],
    ['a current-directory segment', 'a/./b'],
    ['a lone dot', '.'],
    ['a protocol-relative or UNC path', '//evil.example/x'],
    ['a doubled absolute path', '//etc/passwd'],
    ['a backslash', 'a\\b'],
    ['a Windows parent', '..\\..\\windows'],
    ['a UNC path', '\\\\server\\share'],
    ['a drive letter', 'C:/Windows'],
    ['a NUL', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['a carriage return', 'a\r\nX-Injected: 1'],
    ['a tab', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a right-to-left override', 'gnp.\u202eexe'],
    ['a zero-width space', 'a\u200bb'],
    ['an empty segment', 'a//b'],
    ['a trailing empty segment', 'a/b//'],
    ['a space', 'a b'],
    ['a query', 'a?b=1'],
    ['a fragment', 'a#b'],
    ['percent encoding', 'a%2e%2e/b'],
    ['a tilde', '~/x'],
    ['a fullwidth slash', '报表／月度'],
    ['a fullwidth dot', '．．/x'],
    ['CJK punctuation', '报表。'],
    ['fullwidth latin', 'ＡＢＣ'],
    ['latin with accents', 'café'],
    ['cyrillic', 'отчёт'],
    ['an emoji', 'charts📈'],
    ['a too long path', 'x'.repeat(MAX_OSS_PATH_LENGTH + 1)],
    ['a too long CJK path', '表'.repeat(MAX_OSS_PATH_LENGTH + 1)],
  ];
  for (const [what, value] of hostile) {
    it(`refuses ${what} with INVALID_REQUEST on field ossPath`, () => {
      const error = rejection(value);
      assert.equal(error.type, 'VALIDATION_ERROR');
      assert.equal(error.reason, 'INVALID_REQUEST');
      assert.equal(error.status, 400);
      assert.equal(error.details.field, 'ossPath');
      assert.match(error.message, /^ossPath /);
    });
  }
});
