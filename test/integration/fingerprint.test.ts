/**
 * The render fingerprint is what goldens and the result cache key on: it must stay put across
 * launches of one setup and move when anything that can change pixels moves, here a launch flag.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { CHROMIUM_FLAGS, SEALED_NETWORK_FLAGS } from '../../renderer/launch-flags.js';
import { BAR_OPTION, request, startTestRenderer } from '../helpers/renderer.js';

describe('render fingerprint', () => {
  const renderers: ChartRenderer[] = [];
  let plain: ChartRenderer;
  let flagged: ChartRenderer;

  before(async () => {
    [plain, flagged] = await Promise.all([startTestRenderer(), startTestRenderer({ extraChromiumFlags: ['--force-color-profile=srgb'] })]);
    renderers.push(plain, flagged);
  });
  after(() => Promise.all(renderers.map((renderer) => renderer.close())));

  it('is a short hash over Chromium, ECharts, fonts, flags and the chart page', () => {
    const { hash, chromium, echarts, fonts, flags, template } = plain.fingerprint;
    assert.match(hash, /^[0-9a-f]{16}$/);
    assert.match(chromium, /^(Headless)?Chrome\/\d+/);
    assert.match(echarts, /^\d+\.\d+\.\d+$/);
    assert.match(fonts, /^[0-9a-f]{16}$/, 'fc-list answered: the fonts are part of it');
    assert.deepEqual(flags, [...CHROMIUM_FLAGS, ...SEALED_NETWORK_FLAGS]);
    assert.match(template, /^[0-9a-f]{16}$/);
  });

  it('changes when a launch flag changes, and only its flags differ', () => {
    assert.notEqual(flagged.fingerprint.hash, plain.fingerprint.hash);
    assert.deepEqual(flagged.fingerprint.flags, [...CHROMIUM_FLAGS, ...SEALED_NETWORK_FLAGS, '--force-color-profile=srgb']);
    const { hash: _a, flags: _b, ...plainRest } = plain.fingerprint;
    const { hash: _c, flags: _d, ...flaggedRest } = flagged.fingerprint;
    assert.deepEqual(flaggedRest, plainRest);
  });

  it('stays the same for another launch of the same setup, and every result carries it', async () => {
    const again = await startTestRenderer();
    renderers.push(again);
    assert.equal(again.fingerprint.hash, plain.fingerprint.hash);
    const result = await flagged.render(request({ option: BAR_OPTION, width: 100, height: 80 }));
    assert.equal(result.fingerprint.hash, flagged.fingerprint.hash);
  });
});
