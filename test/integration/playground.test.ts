/**
 * The playground at `/` in Debian's Chromium (driven by Playwright) against a farm with a real
 * renderer: it loads under its own CSP without a console error, renders an example and shows the
 * image, its render time and fingerprint, offers the same request as curl, CLI and client call,
 * shows a refused option as text, and asks for a key when the farm has keys. Also: /docs shows an
 * image answer as a blob: URL, as "Try it out" does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, expect, type Browser, type Page } from '@playwright/test';
import { configWith } from '../../config/load-config.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { locateChromium } from '../../renderer/locate-chromium.js';
import { startHttpTestRenderer, startTestServer, type TestServer } from '../helpers/http.js';

const WAIT = { timeout: 30_000 };
let renderer: ChartRenderer;
let farm: TestServer;
let guarded: TestServer;
let browser: Browser;

/** A page that records console errors, page errors and refused requests. */
async function watchedPage(problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  return page;
}

before(async () => {
  renderer = await startHttpTestRenderer();
  farm = await startTestServer(renderer);
  guarded = await startTestServer(renderer, configWith({ apiKeys: [{ owner: 'operator', key: 'playground-key' }] }));
  browser = await chromium.launch({ executablePath: locateChromium({ chromiumPath: process.env.CHROMIUM_PATH }), args: ['--no-sandbox', '--disable-gpu'] });
});

after(async () => {
  await browser?.close();
  await farm?.close();
  await guarded?.close();
  await renderer?.close();
});

describe('the playground at /', () => {
  it('renders the first example and shows the image, its time and fingerprint, with no console error', async () => {
    const problems: string[] = [];
    const page = await watchedPage(problems);
    const answer = await page.goto(`${farm.url}/`);
    assert.match(answer!.headers()['content-security-policy'] ?? '', /default-src 'none'.*img-src 'self' blob:/);
    await expect(page.locator('#option')).toHaveValue(/"series"/, WAIT);
    await page.fill('#width', '400');
    await page.fill('#height', '300');
    await page.click('#render');
    const image = page.locator('#image-box img');
    await expect(image).toBeVisible(WAIT);
    await expect.poll(() => image.evaluate((node: HTMLImageElement) => node.complete && `${node.naturalWidth}x${node.naturalHeight}`), WAIT).toBe('400x300');
    await expect(page.locator('#render-time')).toHaveText(/\d+(\.\d)? ms in the farm, \d+ ms round trip/);
    await expect(page.locator('#fingerprint')).toHaveText(renderer.fingerprint.hash);
    await expect(page.locator('#snippet-curl')).toHaveText(/curl -s -X POST 'http:\/\/127\.0\.0\.1:\d+\/api\/charts\/generate\?async=false'[\s\S]*"width":400,"height":300/);
    await expect(page.locator('#snippet-cli')).toHaveText(/\| npx echarts-farm render - -o chart\.png$/);
    await expect(page.locator('#snippet-client')).toHaveText(/farm\.render\(\{ type: "png", width: 400, height: 300, option \}\)/);
    await page.screenshot({ path: '/tmp/echarts-farm-playground.png' });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows a refused option as text, with its reason', async () => {
    const problems: string[] = [];
    const page = await watchedPage(problems);
    await page.goto(`${farm.url}/`);
    await expect(page.locator('#option')).toHaveValue(/"series"/, WAIT);
    await page.fill('#option', '{"series": [');
    await page.click('#render');
    await expect(page.locator('#error')).toHaveText(/^The option is not valid JSON/, WAIT);
    await page.fill('#option', '{"series": []}');
    await page.fill('#width', '0');
    await page.click('#render');
    await expect(page.locator('#error')).toHaveText('width must be at least 1 (INVALID_REQUEST)', WAIT);
    await expect(page.locator('#image-box img')).toHaveCount(0);
    // The 400 itself is the only console line: Chromium logs every failed fetch.
    assert.deepEqual(problems.filter((problem) => !/status of 400/.test(problem)), []);
    await page.close();
  });

  it('asks for a key when the farm has keys, then renders with it', async () => {
    const problems: string[] = [];
    const page = await watchedPage(problems);
    await page.goto(`${guarded.url}/`);
    await expect(page.locator('#option')).toHaveValue(/"series"/, WAIT);
    await page.click('#render');
    await expect(page.locator('#key-form')).toBeVisible(WAIT);
    await expect(page.locator('#error')).toHaveText(/asks for a key/);
    await page.fill('#key-input', 'playground-key');
    await page.click('#key-form button');
    await expect(page.locator('#image-box img')).toBeVisible(WAIT);
    await expect(page.locator('#error')).toBeHidden();
    assert.deepEqual(problems.filter((problem) => !/status of 401/.test(problem)), []);
    await page.close();
  });
});

describe('/docs', () => {
  it('lets an image answer show as a blob: URL, as "Try it out" draws it', async () => {
    const problems: string[] = [];
    const page = await watchedPage(problems);
    await page.goto(`${farm.url}/docs`);
    const width = await page.evaluate(async () => {
      const response = await fetch('/api/charts/generate?async=false', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ width: 120, height: 80, option: { series: [{ type: 'pie', data: [1, 2] }] } }),
      });
      const image = new Image();
      image.src = URL.createObjectURL(await response.blob());
      await new Promise((resolve, reject) => {
        image.onload = resolve;
        image.onerror = () => reject(new Error('the image was refused'));
      });
      return image.naturalWidth;
    });
    assert.equal(width, 120);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
