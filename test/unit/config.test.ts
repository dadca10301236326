import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configurationMarkdown, effectiveSettingsText } from '../../config/describe-config.js';
import { ConfigError, loadConfig } from '../../config/load-config.js';
import { settings } from '../../config/settings.js';
import { packageRoot } from '../../renderer/package-root.js';

describe('settings', () => {
  it('takes its defaults from the declarations when the environment is empty', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.allowFunctions, false);
    assert.equal(config.poolPagesPerBrowser, 2);
    assert.ok(config.poolBrowsers >= 1);
    assert.equal(config.chromiumPath, undefined);
  });

  it('reads typed values from the environment', () => {
    const config = loadConfig({ PORT: '8080', ALLOW_FUNCTIONS: 'yes', LOG_LEVEL: 'debug', MAPS_DIR: '/maps', POOL_BROWSERS: '3' });
    assert.equal(config.port, 8080);
    assert.equal(config.allowFunctions, true);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.mapsDir, '/maps');
    assert.equal(config.poolBrowsers, 3);
  });

  it('stops on bad values, naming every variable and what it accepts', () => {
    assert.throws(
      () => loadConfig({ POOL_BROWSERS: 'two', RENDER_TIMEOUT_MS: '5', ALLOW_FUNCTIONS: 'maybe', LOG_LEVEL: 'loud', PORT: '70000' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 5);
        assert.match(error.message, /POOL_BROWSERS="two" is not valid: it accepts an integer from 1 to 64/);
        assert.match(error.message, /RENDER_TIMEOUT_MS="5" is not valid: it accepts an integer from 100/);
        assert.match(error.message, /ALLOW_FUNCTIONS="maybe" is not valid: it accepts true or false/);
        assert.match(error.message, /LOG_LEVEL="loud" is not valid: it accepts one of fatal, error/);
        assert.match(error.message, /PORT="70000"/);
        return true;
      },
    );
  });

  it('rejects fractional and signed numbers where an integer count is wanted', () => {
    assert.throws(() => loadConfig({ POOL_PAGES_PER_BROWSER: '1.5' }), /POOL_PAGES_PER_BROWSER/);
    assert.throws(() => loadConfig({ POOL_PAGES_PER_BROWSER: '-1' }), /POOL_PAGES_PER_BROWSER/);
  });

  it('stops when the finished wait is not shorter than the render timeout, naming both', () => {
    assert.throws(
      () => loadConfig({ RENDER_TIMEOUT_MS: '4000', RENDER_FINISHED_WAIT_MS: '4000' }),
      /RENDER_FINISHED_WAIT_MS=4000 must be less than RENDER_TIMEOUT_MS=4000/,
    );
  });

  it('declares each environment variable once', () => {
    const names = Object.values(settings).map((declaration) => declaration.env);
    assert.equal(new Set(names).size, names.length);
  });

  it('prints every effective setting', () => {
    const text = effectiveSettingsText(loadConfig({ PORT: '4321' }));
    for (const declaration of Object.values(settings)) assert.match(text, new RegExp(`^${declaration.env} `, 'm'));
    assert.match(text, /^PORT\s+4321$/m);
  });

  it('has docs/configuration.md generated from the declarations (run `npm run docs:config` when this fails)', () => {
    const committed = readFileSync(join(packageRoot(), 'docs', 'configuration.md'), 'utf8');
    assert.equal(committed, configurationMarkdown());
  });
});
