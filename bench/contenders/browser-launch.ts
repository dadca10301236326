/** Chromium as the farm launches it (same binary, same flags), for the contenders that manage their own browsers. */
import puppeteer, { type Browser, type LaunchOptions } from 'puppeteer';
import { CHROMIUM_FLAGS } from '../../renderer/launch-flags.js';

/** The launch options of every contender's own browsers. */
export function launchOptions(executablePath: string): LaunchOptions {
  return {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    defaultViewport: null,
    // Over a pipe, Chromium exits with this process even when it is killed: no orphans.
    pipe: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
}

/** A browser with no tab: the pages a contender wants are opened as windows (see DESIGN.md). */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const browser = await puppeteer.launch(launchOptions(executablePath));
  await Promise.all((await browser.pages()).map((tab) => tab.close().catch(() => undefined)));
  return browser;
}

export function pidOf(browser: Browser): number[] {
  const pid = browser.process()?.pid;
  return pid === undefined ? [] : [pid];
}

export async function closeBrowser(browser: Browser): Promise<void> {
  await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
}
