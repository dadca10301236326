import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FarmError } from '../../errors/farm-error.js';
import { parseRenderRequest, RENDER_LIMITS } from '../../renderer/render-request.js';

const OPTION = { series: [{ type: 'line', data: [1, 2] }] };
const closed = { allowFunctions: false };
const open = { allowFunctions: true };

function rejection(input: unknown, policy = closed): FarmError {
  try {
    parseRenderRequest(input, policy);
  } catch (error) {
    assert.ok(error instanceof FarmError, `a FarmError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request was accepted');
}

describe('parseRenderRequest', () => {
  it('fills the documented defaults and leaves unset options out (records are JSON)', () => {
    const request = parseRenderRequest({ option: OPTION }, closed);
    assert.deepEqual(
      { ...request, option: undefined },
      { option: undefined, type: 'png', width: 600, height: 400, devicePixelRatio: 1, quality: 90, engine: 'canvas' },
    );
  });

  it('draws svg and pdf with the SVG engine', () => {
    assert.equal(parseRenderRequest({ option: OPTION, type: 'svg' }, closed).engine, 'svg');
    assert.equal(parseRenderRequest({ option: OPTION, type: 'pdf', renderer: 'canvas' }, closed).engine, 'svg');
    assert.equal(parseRenderRequest({ option: OPTION, type: 'png', renderer: 'svg' }, closed).engine, 'svg');
  });

  for (const option of [undefined, null, 42, [1, 2], true]) {
    it(`refuses option ${JSON.stringify(option)} with INVALID_OPTION`, () => {
      const error = rejection({ option });
      assert.equal(error.type, 'VALIDATION_ERROR');
      assert.equal(error.reason, 'INVALID_OPTION');
      assert.equal(error.status, 400);
    });
  }

  for (const width of [0, -1, 100000, 1.5, '600']) {
    it(`refuses width ${JSON.stringify(width)}`, () => {
      const error = rejection({ option: OPTION, width });
      assert.equal(error.reason, 'INVALID_REQUEST');
      assert.match(error.message, /^width /);
    });
  }

  it('refuses an image larger than the device-pixel budget', () => {
    const error = rejection({ option: OPTION, width: 8192, height: 8192, devicePixelRatio: 1 });
    assert.match(error.message, new RegExp(String(RENDER_LIMITS.maxDevicePixels)));
  });

  it('refuses unknown types, engines and pixel ratios out of 1–4', () => {
    assert.match(rejection({ option: OPTION, type: 'gif' }).message, /type must be one of png, jpeg, webp, svg, pdf/);
    assert.match(rejection({ option: OPTION, renderer: 'webgl' }).message, /renderer must be one of canvas, svg/);
    assert.match(rejection({ option: OPTION, devicePixelRatio: 5 }).message, /devicePixelRatio must be at most 4/);
    assert.match(rejection({ option: OPTION, devicePixelRatio: 0.5 }).message, /devicePixelRatio must be at least 1/);
  });

  it('refuses a transparent JPEG, which cannot exist', () => {
    assert.match(rejection({ option: OPTION, type: 'jpeg', backgroundColor: 'transparent' }).message, /jpeg has no transparency/);
  });

  it('refuses a background that is not a plain CSS color', () => {
    assert.equal(rejection({ option: OPTION, backgroundColor: 'url(http://x/y.png)' }).reason, 'INVALID_REQUEST');
    assert.equal(parseRenderRequest({ option: OPTION, backgroundColor: 'rgba(0, 0, 0, 0.5)' }, closed).background, 'rgba(0, 0, 0, 0.5)');
  });

  it('refuses JavaScript source unless functions are allowed', () => {
    const script = 'var option = {series: []};';
    assert.equal(rejection({ option: script }).reason, 'FUNCTIONS_NOT_ALLOWED');
    assert.equal(parseRenderRequest({ option: script }, open).option, script);
  });

  it('refuses function source hidden in a JSON option, naming where it sits', () => {
    const error = rejection({ option: { yAxis: { axisLabel: { formatter: 'function (v) { return v + "%"; }' } } } });
    assert.equal(error.reason, 'FUNCTIONS_NOT_ALLOWED');
    assert.equal(error.details.field, 'option.yAxis.axisLabel.formatter');
    const arrow = rejection({ option: { series: [{ label: { formatter: '(p) => p.name' } }] } });
    assert.equal(arrow.details.field, 'option.series[0].label.formatter');
  });

  it('keeps ECharts template strings, which are not code', () => {
    const option = { tooltip: { formatter: '{a} <br/>{b}: {c} ({d}%)' }, series: [] };
    assert.deepEqual(parseRenderRequest({ option }, closed).option, option);
  });

  it('draws renderer ssr server-side, SVG only', () => {
    assert.equal(parseRenderRequest({ option: OPTION, type: 'svg', renderer: 'ssr' }, closed).engine, 'ssr');
    for (const type of ['png', 'pdf', 'jpeg']) {
      const error = rejection({ option: OPTION, type, renderer: 'ssr' });
      assert.equal(error.reason, 'INVALID_REQUEST');
      assert.match(error.message, new RegExp(`renderer ssr draws SVG only: ask for type svg, not ${type}`));
    }
  });

  it('refuses JavaScript for renderer ssr even where functions are allowed: it would run in the server', () => {
    const script = rejection({ option: 'var option = {series: []};', type: 'svg', renderer: 'ssr' }, open);
    assert.equal(script.reason, 'FUNCTIONS_NOT_ALLOWED');
    assert.match(script.message, /whatever ALLOW_FUNCTIONS says/);
    const hidden = rejection({ option: { yAxis: { axisLabel: { formatter: 'function (v) { return v; }' } } }, type: 'svg', renderer: 'ssr' }, open);
    assert.equal(hidden.details.field, 'option.yAxis.axisLabel.formatter');
  });

  it('takes a seed and a frozen time, one spelling per instant, and leaves both out when unset', () => {
    const request = parseRenderRequest({ option: OPTION, seed: 7, frozenTime: '2024-01-15T20:00:00+08:00' }, closed);
    assert.equal(request.seed, 7);
    assert.equal(request.frozenTime, '2024-01-15T12:00:00.000Z');
    const plain = parseRenderRequest({ option: OPTION }, closed);
    assert.ok(!('seed' in plain) && !('frozenTime' in plain));
  });

  it('refuses seeds that are no 32-bit whole numbers and times without a zone', () => {
    for (const seed of [-1, 1.5, 2 ** 32, '7']) assert.match(rejection({ option: OPTION, seed }).message, /^seed must be a whole number from 0 to 4294967295/);
    for (const frozenTime of ['2024-01-15', '2024-01-15T12:00:00', 'yesterday']) {
      assert.match(rejection({ option: OPTION, frozenTime }).message, /^frozenTime must be an ISO 8601 date and time with a zone/);
    }
  });
});
