/**
 * The pool's browsers: a fixed number of Chromium processes. A browser that dies is counted and
 * replaced; its pages notice on their own (ChartPage listens for `disconnected`).
 */
import puppeteer, { type Browser, type Target } from 'puppeteer';
import { systemError } from '../errors/farm-error.js';
import type { RenderLogger } from './render-logger.js';

export interface BrowserSlot {
  readonly index: number;
  browser: Browser | undefined;
  launching: Promise<Browser> | undefined;
  pageCount: number;
}

export interface FleetStats {
  browsers: number;
  connected: number;
  launches: number;
  crashes: number;
}

export interface BrowserFleetOptions {
  executablePath: string;
  /** The launch flags; part of the render fingerprint. */
  flags: readonly string[];
  size: number;
  logger: RenderLogger;
}

const RELAUNCH_BACKOFF_MS = [0, 250, 1000, 5000];

export class BrowserFleet {
  private readonly slots: BrowserSlot[];
  private closing = false;
  private launches = 0;
  private crashes = 0;
  private consecutiveFailures = 0;

  constructor(private readonly options: BrowserFleetOptions) {
    this.slots = Array.from({ length: options.size }, (_, index) => ({
      index,
      browser: undefined,
      launching: undefined,
      pageCount: 0,
    }));
  }

  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.browserOf(slot)));
  }

  /** A live browser from the slot with the fewest pages, launched if that slot has none. */
  async acquireSlot(): Promise<{ slot: BrowserSlot; browser: Browser }> {
    if (this.closing) throw systemError('POOL_CLOSED', 'the renderer is shutting down', { retryable: false });
    const slot = this.slots.reduce((least, candidate) => (candidate.pageCount < least.pageCount ? candidate : least));
    slot.pageCount += 1;
    try {
      return { slot, browser: await this.browserOf(slot) };
    } catch (error) {
      slot.pageCount -= 1;
      throw error;
    }
  }

  releaseSlot(slot: BrowserSlot): void {
    slot.pageCount = Math.max(0, slot.pageCount - 1);
  }

  /** Any live browser (for version queries). */
  async anyBrowser(): Promise<Browser> {
    return this.browserOf(this.slots[0]!);
  }

  stats(): FleetStats {
    return {
      browsers: this.slots.length,
      connected: this.slots.filter((slot) => slot.browser?.connected).length,
      launches: this.launches,
      crashes: this.crashes,
    };
  }

  /** Process ids of the live browsers, for operators (and the crash tests). */
  browserPids(): number[] {
    return this.slots.flatMap((slot) => {
      const pid = slot.browser?.process()?.pid;
      return pid === undefined ? [] : [pid];
    });
  }

  private browserOf(slot: BrowserSlot): Promise<Browser> {
    if (slot.browser?.connected) return Promise.resolve(slot.browser);
    slot.launching ??= this.launch(slot).finally(() => {
      slot.launching = undefined;
    });
    return slot.launching;
  }

  private async launch(slot: BrowserSlot): Promise<Browser> {
    const backoff = RELAUNCH_BACKOFF_MS[Math.min(this.consecutiveFailures, RELAUNCH_BACKOFF_MS.length - 1)]!;
    if (backoff > 0) await new Promise((resolve) => setTimeout(resolve, backoff));
    this.launches += 1;
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: this.options.executablePath,
        headless: true,
        args: [...this.options.flags],
        defaultViewport: null,
        // Over a pipe, Chromium exits with the farm process even when that is SIGKILLed: no orphans.
        pipe: true,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      this.consecutiveFailures += 1;
      throw systemError('BROWSER_CRASHED', `could not launch Chromium (${this.options.executablePath}): ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.consecutiveFailures = 0;
    // The blank tab Chromium starts with holds a renderer process of its own: the pool opens windows.
    await Promise.all((await browser.pages()).map((tab) => tab.close().catch(() => undefined)));
    slot.browser = browser;
    browser.on('targetcreated', (target: Target) => void this.closeUninvited(target));
    browser.on('disconnected', () => {
      if (slot.browser === browser) slot.browser = undefined;
      if (this.closing) return;
      this.crashes += 1;
      this.options.logger.warn({ browser: slot.index }, 'browser disconnected; it is replaced on the next page it is asked for');
    });
    this.options.logger.debug({ browser: slot.index, pid: browser.process()?.pid }, 'browser launched');
    return browser;
  }

  /**
   * The farm opens windows without an opener and nothing else: a popup a script opened, or a shared
   * or service worker it started, is closed as soon as it appears (its requests fail anyway: see
   * launch-flags.ts).
   */
  private async closeUninvited(target: Target): Promise<void> {
    const kind = target.type();
    const popup = kind === 'page' && target.opener() !== undefined;
    const worker = kind === 'shared_worker' || kind === 'service_worker';
    if (!popup && !worker) return;
    this.options.logger.warn({ kind, url: target.url().slice(0, 200) }, 'closed a target a chart page opened');
    try {
      if (popup) await (await target.page())?.close();
      else await (await target.worker())?.close();
    } catch {
      // Gone already, or its browser is: nothing left to close.
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const browser = slot.browser ?? (await slot.launching?.catch(() => undefined));
        slot.browser = undefined;
        if (!browser) return;
        await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      }),
    );
  }
}
