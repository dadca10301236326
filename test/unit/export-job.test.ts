/** The export body: its documented examples parse, and each chart meets the single-chart gate. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFarmError } from '../../errors/farm-error.js';
import { parseExportRequest } from '../../server/export-requests.js';
import { exportOperations } from '../../server/openapi/export-operations.js';

const policy = { allowFunctions: false };
type Examples = Record<string, { value: unknown }>;

describe('export requests', () => {
  it('accepts every documented example', () => {
    const body = exportOperations[0]!.operation.requestBody as { content: { 'application/json': { examples: Examples } } };
    for (const [name, example] of Object.entries(body.content['application/json'].examples)) {
      assert.doesNotThrow(() => parseExportRequest(example.value, {}, policy, 10), name);
    }
  });

  it('gives a PDF chart without a type a vector page and a ZIP chart a PNG', () => {
    const option = { series: [] };
    assert.equal(parseExportRequest({ format: 'pdf', charts: [{ option }] }, {}, policy, 10).job.charts[0]!.render.type, 'pdf');
    assert.equal(parseExportRequest({ format: 'zip', charts: [{ option }] }, {}, policy, 10).job.charts[0]!.render.type, 'png');
  });

  it('names the chart whose field is wrong, with the reason the single-chart parser gives', () => {
    const refused = (body: unknown) => {
      try {
        parseExportRequest(body, { async: 'false' }, policy, 10);
      } catch (error) {
        assert.ok(isFarmError(error));
        return { reason: error.reason, message: error.message, index: error.details.index };
      }
      assert.fail('accepted');
    };
    assert.deepEqual(refused({ format: 'zip', charts: [{ option: {} }, { option: {}, devicePixelRatio: 9 }] }), {
      reason: 'INVALID_REQUEST',
      message: 'charts[1]: devicePixelRatio must be at most 4',
      index: 1,
    });
    assert.equal(refused({ format: 'zip', charts: [{ option: { a: 'function () { return 1 }' } }] }).reason, 'FUNCTIONS_NOT_ALLOWED');
    assert.match(refused({ format: 'zip', charts: [{ option: {}, title: 'x'.repeat(201) }] }).message, /charts\.0\.title/);
    assert.match(refused({ format: 'pdf', layout: { columns: 7 }, charts: [{ option: {} }] }).message, /layout\.columns/);
    assert.match(refused({ format: 'zip', charts: [] }).message, /at least one chart/);
  });
});
