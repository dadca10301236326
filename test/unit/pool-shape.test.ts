/** The default page pool shape follows the host: a browser per core while memory allows, two pages, one render each. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../config/load-config.js';
import { BROWSER_BUDGET_MIB, hostPoolShape } from '../../config/pool-shape.js';

describe('default pool shape', () => {
  it('is a browser per core with two pages and one render each when memory is plenty', () => {
    assert.deepEqual(hostPoolShape(2, 24 * 1024), { browsers: 2, pagesPerBrowser: 2, rendersPerBrowser: 1 });
    assert.deepEqual(hostPoolShape(8, 64 * 1024), { browsers: 8, pagesPerBrowser: 2, rendersPerBrowser: 1 });
  });

  it('takes fewer browsers than cores when half the memory cannot hold them, never none', () => {
    assert.equal(hostPoolShape(8, 4 * BROWSER_BUDGET_MIB).browsers, 2);
    assert.equal(hostPoolShape(4, 512).browsers, 1);
  });

  it('is what the settings default to, and each part can still be set', () => {
    const host = hostPoolShape();
    const config = loadConfig({});
    assert.deepEqual([config.poolBrowsers, config.poolPagesPerBrowser, config.poolRendersPerBrowser], [host.browsers, host.pagesPerBrowser, host.rendersPerBrowser]);
    const set = loadConfig({ POOL_BROWSERS: '3', POOL_PAGES_PER_BROWSER: '4', POOL_RENDERS_PER_BROWSER: '4' });
    assert.deepEqual([set.poolBrowsers, set.poolPagesPerBrowser, set.poolRendersPerBrowser], [3, 4, 4]);
  });

  it('refuses more renders per browser than pages, naming both', () => {
    assert.throws(() => loadConfig({ POOL_PAGES_PER_BROWSER: '1', POOL_RENDERS_PER_BROWSER: '2' }), /POOL_RENDERS_PER_BROWSER=2 must be at most POOL_PAGES_PER_BROWSER=1/);
  });
});
