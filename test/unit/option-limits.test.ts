/**
 * Checking and hashing an option are linear and bounded: depth and size limits name themselves,
 * nothing recurses, and a 10 MB array of numbers is checked and hashed in well under a second.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { settings } from '../../config/settings.js';
import { FarmError } from '../../errors/farm-error.js';
import { DEFAULT_OPTION_LIMITS, parseRenderRequest, type RenderRequest } from '../../renderer/render-request.js';
import { requestHash } from '../../tasks/request-hash.js';

function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = { series: [{ type: 'bar', data: [1] }] };
  let at = root;
  for (let level = 1; level < levels; level += 1) at = (at.extra = {}) as Record<string, unknown>;
  return root;
}

function refusal(input: unknown, policy: Parameters<typeof parseRenderRequest>[1]): FarmError {
  try {
    parseRenderRequest(input, policy);
  } catch (error) {
    assert.ok(error instanceof FarmError);
    return error;
  }
  assert.fail('accepted');
}

describe('option limits', () => {
  it('the renderer defaults are the settings defaults', () => {
    assert.equal(DEFAULT_OPTION_LIMITS.maxDepth, settings.maxOptionDepth.defaultValue);
    assert.equal(DEFAULT_OPTION_LIMITS.maxNodes, settings.maxOptionNodes.defaultValue);
  });

  it('takes an option exactly as deep as MAX_OPTION_DEPTH and refuses one level more, naming the limit and the path', () => {
    const limits = { maxDepth: 10, maxNodes: 1000 };
    parseRenderRequest({ option: nested(10) }, { allowFunctions: false, limits });
    const error = refusal({ option: nested(11) }, { allowFunctions: false, limits });
    assert.equal(error.reason, 'INVALID_OPTION');
    assert.equal(error.status, 400);
    assert.match(error.message, /MAX_OPTION_DEPTH/);
    assert.equal(error.details.field, `option${'.extra'.repeat(10)}`);
  });

  it('refuses 100,000 levels of nesting with a 400, not a stack overflow', () => {
    const error = refusal({ option: nested(100_000) }, { allowFunctions: true });
    assert.equal(error.reason, 'INVALID_OPTION');
    assert.match(error.message, /deeper than 64/);
  });

  it('refuses more values than MAX_OPTION_NODES, naming the limit', () => {
    const option = { series: [{ type: 'scatter', data: Array.from({ length: 100 }, (_, i) => i) }] };
    const error = refusal({ option }, { allowFunctions: false, limits: { maxDepth: 64, maxNodes: 100 } });
    assert.match(error.message, /MAX_OPTION_NODES/);
    parseRenderRequest({ option }, { allowFunctions: false, limits: { maxDepth: 64, maxNodes: 110 } });
  });

  it('names the path of function source deep in a large option', () => {
    const data = Array.from({ length: 1000 }, (_, i) => i);
    const option = { series: [{ type: 'bar', data }, { type: 'line', label: { formatter: 'function (p) { return p.value; }' } }] };
    assert.equal(refusal({ option }, { allowFunctions: false }).details.field, 'option.series[1].label.formatter');
  });

  it('takes an option sent as the text of a JSON object as that object', () => {
    const option = { series: [{ type: 'bar', data: [1] }] };
    assert.deepEqual(parseRenderRequest({ option: JSON.stringify(option) }, { allowFunctions: false }).option, option);
  });

  it('checks and hashes a 10 MB body of one numeric array in under a second, key order aside', () => {
    const data = Array.from({ length: 4_900_000 }, (_, i) => i % 10);
    const body = JSON.stringify({ option: { series: [{ type: 'scatter', data }] } });
    assert.ok(body.length > 9_500_000);
    const started = performance.now();
    const request = parseRenderRequest(JSON.parse(body), { allowFunctions: false });
    const checked = performance.now();
    const hash = requestHash(request, 'alice');
    const hashed = performance.now();
    console.log(`# 10 MB numeric option: JSON.parse+check ${(checked - started).toFixed(0)} ms, hash ${(hashed - checked).toFixed(0)} ms`);
    // Generous against a loaded machine; the quiet figure is in bench/results.
    assert.ok(hashed - started < 5_000, `took ${hashed - started} ms`);
    const reordered = { ...request, option: { series: [{ data, type: 'scatter' }] } } as RenderRequest;
    assert.equal(requestHash(reordered, 'alice'), hash);
  });

  it('hashes an option nested 100,000 levels deep without recursion', () => {
    const request = { option: nested(100_000), type: 'png', width: 1, height: 1 } as unknown as RenderRequest;
    assert.match(requestHash(request, 'alice'), /^[0-9a-f]{64}$/);
  });

  it('hashes the owner and the request as canonical JSON', () => {
    const request = { type: 'png', option: { b: [1, 'x', null, { d: 1, c: [] }], a: { z: undefined, y: '\u2028"' } } } as unknown as RenderRequest;
    const canonical = '{"owner":"alice","request":{"option":{"a":{"y":"\u2028\\""},"b":[1,"x",null,{"c":[],"d":1}]},"type":"png"}}';
    assert.equal(requestHash(request, 'alice'), createHash('sha256').update(canonical).digest('hex'));
  });
});
