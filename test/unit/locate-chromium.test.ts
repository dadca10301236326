import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { locateChromium } from '../../renderer/locate-chromium.js';

describe('locateChromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'farm-locate-'));
  const fakeBinary = join(dir, 'chrome');
  writeFileSync(fakeBinary, '#!/bin/sh\n');
  chmodSync(fakeBinary, 0o755);

  it('takes CHROMIUM_PATH first', () => {
    assert.equal(locateChromium({ chromiumPath: fakeBinary, systemCandidates: [] }), fakeBinary);
  });

  it('names CHROMIUM_PATH when it points at nothing runnable', () => {
    assert.throws(() => locateChromium({ chromiumPath: join(dir, 'missing') }), /CHROMIUM_PATH=.*missing is not an executable file/);
  });

  it("looks in puppeteer's cache before the system paths", () => {
    const cache = mkdtempSync(join(tmpdir(), 'farm-cache-'));
    const build = join(cache, 'chrome', 'linux-140.0.0.0', 'chrome-linux64');
    mkdirSync(build, { recursive: true });
    writeFileSync(join(build, 'chrome'), '#!/bin/sh\n');
    chmodSync(join(build, 'chrome'), 0o755);
    assert.equal(locateChromium({ puppeteerCacheDir: cache, systemCandidates: [fakeBinary] }), join(build, 'chrome'));
  });

  it('says how to install a browser when none is found', () => {
    assert.throws(
      () => locateChromium({ puppeteerCacheDir: join(dir, 'no-cache'), systemCandidates: [join(dir, 'nothing')] }),
      /No Chromium found\. Install one \(Debian\/Ubuntu: `apt-get install -y chromium fonts-noto-cjk`\) or point CHROMIUM_PATH/,
    );
  });
});
