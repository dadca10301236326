/**
 * The warm pages and who holds them. Unlike a generic pool it knows each page's browser and pixel
 * ratio: a render gets an idle page already at its ratio (another ratio reloads the page) on the
 * least busy browser, and a browser runs at most `rendersPerBrowser` renders at once, because on a
 * small host two renders in one browser take longer than the same two one after the other. Pages
 * past that number stay warm for other ratios. Waiting renders are served in arrival order.
 */
import type { RenderLogger } from './render-logger.js';

export interface PagePoolOptions<P> {
  size: number;
  rendersPerBrowser: number;
  acquireTimeoutMs: number;
  /** Opens one page; a failure is logged and tried again after `reopenDelayMs` (pages are replaced, never given up). */
  open(): Promise<P>;
  close(page: P): Promise<void>;
  /** Checked on every borrow: a page that fails it is replaced and another one is taken. */
  validate(page: P): Promise<boolean>;
  browserOf(page: P): number;
  pixelRatioOf(page: P): number;
  /**
   * Whether a page is still usable without asking it (its window and browser alive). An idle page
   * that is not is never counted idle, and `healIdle` replaces it. Absent: every page is alive.
   */
  isAlive?(page: P): boolean;
  logger: RenderLogger;
  /** @defaultValue 200 */
  reopenDelayMs?: number;
}

/** No page became free within `acquireTimeoutMs`. */
export class PageWaitTimeout extends Error {
  constructor(readonly waitedMs: number) {
    super(`no page became free within ${waitedMs} ms`);
    this.name = 'PageWaitTimeout';
  }
}

/** The pool was closed before a page could be handed out. */
export class PagePoolClosed extends Error {
  constructor() {
    super('the page pool is closed');
    this.name = 'PagePoolClosed';
  }
}

interface Waiter<P> {
  pixelRatio: number;
  resolve(page: P): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class PagePool<P> {
  /** Least recently released first. */
  private readonly idle: P[] = [];
  private readonly busy = new Set<P>();
  private readonly busyByBrowser = new Map<number, number>();
  private readonly waiters: Waiter<P>[] = [];
  private opening = 0;
  private closed = false;
  private dispatching = false;
  private dispatchAgain = false;
  private drained: (() => void) | undefined;

  constructor(private readonly options: PagePoolOptions<P>) {}

  /** Opens every page; fails if any page cannot be opened, so a farm never starts half warm. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.size }, () => this.openOne()));
  }

  /** Pages open or being opened. */
  get size(): number {
    return this.idle.length + this.busy.size + this.opening;
  }

  get borrowed(): number {
    return this.busy.size;
  }

  /** Idle pages that are alive: a page whose browser died is not available, even before it is replaced. */
  get available(): number {
    return this.idle.filter((page) => this.alive(page)).length;
  }

  /**
   * Replaces every idle page that died (its browser crashed or was killed while idle), so the pool
   * heals without waiting for a render to trip over it. Returns how many were replaced.
   */
  healIdle(): number {
    if (this.closed) return 0;
    const dead = this.idle.filter((page) => !this.alive(page));
    for (const page of dead) this.destroy(page);
    if (dead.length > 0) this.options.logger.warn({ pages: dead.length }, 'idle pages died with their browser: replacing them');
    return dead.length;
  }

  private alive(page: P): boolean {
    return this.options.isAlive?.(page) ?? true;
  }

  get pending(): number {
    return this.waiters.length;
  }

  /** A validated page for a render at `pixelRatio`; rejects with PageWaitTimeout or PagePoolClosed. */
  acquire(pixelRatio: number): Promise<P> {
    if (this.closed) return Promise.reject(new PagePoolClosed());
    return new Promise<P>((resolve, reject) => {
      const waiter: Waiter<P> = {
        pixelRatio,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.removeWaiter(waiter);
          reject(new PageWaitTimeout(this.options.acquireTimeoutMs));
        }, this.options.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
      void this.dispatch();
    });
  }

  /** Gives a sound page back for the next render. */
  release(page: P): void {
    if (!this.busy.delete(page)) return;
    this.leaveBrowser(page);
    if (this.closed) {
      void this.closeQuietly(page);
    } else {
      this.idle.push(page);
      void this.dispatch();
    }
    this.notifyIfDrained();
  }

  /** Closes a page that is worn out or broken, and opens a replacement. */
  destroy(page: P): void {
    if (this.busy.delete(page)) this.leaveBrowser(page);
    else this.removeIdle(page);
    void this.closeQuietly(page);
    this.notifyIfDrained();
    if (!this.closed) void this.replace();
  }

  /** Resolves once no page is borrowed (renders in flight have ended); new renders still queue. */
  drain(): Promise<void> {
    if (this.busy.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  /** Refuses waiting and new renders and closes every page, borrowed ones included. */
  async clear(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new PagePoolClosed());
    }
    const pages = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    this.busyByBrowser.clear();
    this.notifyIfDrained();
    await Promise.all(pages.map((page) => this.closeQuietly(page)));
  }

  /**
   * Hands idle pages to waiters in arrival order. One pass at a time: validation is asynchronous,
   * and two passes could otherwise take the same page.
   */
  private async dispatch(): Promise<void> {
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    try {
      do {
        this.dispatchAgain = false;
        await this.serveWaiters();
      } while (this.dispatchAgain && !this.closed);
    } finally {
      this.dispatching = false;
    }
  }

  private async serveWaiters(): Promise<void> {
    for (;;) {
      const waiter = this.waiters[0];
      if (!waiter || this.closed) return;
      const page = this.bestIdlePageFor(waiter.pixelRatio);
      if (page === undefined) return;
      this.take(page);
      const sound = await this.options.validate(page).catch(() => false);
      if (!sound) {
        this.options.logger.warn({}, 'a chart page failed its check on borrow: replacing it');
        this.destroy(page);
        continue;
      }
      if (this.waiters[0] !== waiter) {
        // The waiter gave up (timeout) during the check: the page serves the next one.
        this.putBack(page);
        continue;
      }
      this.waiters.shift();
      clearTimeout(waiter.timer);
      waiter.resolve(page);
    }
  }

  /** An idle page on a browser below its limit: same ratio first, then the least busy browser, then the longest idle. */
  private bestIdlePageFor(pixelRatio: number): P | undefined {
    let best: P | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const page of this.idle) {
      const busyInBrowser = this.busyByBrowser.get(this.options.browserOf(page)) ?? 0;
      if (busyInBrowser >= this.options.rendersPerBrowser) continue;
      const score = (this.options.pixelRatioOf(page) === pixelRatio ? 0 : 1000) + busyInBrowser;
      if (score < bestScore) {
        best = page;
        bestScore = score;
      }
    }
    return best;
  }

  private take(page: P): void {
    this.removeIdle(page);
    this.busy.add(page);
    const browser = this.options.browserOf(page);
    this.busyByBrowser.set(browser, (this.busyByBrowser.get(browser) ?? 0) + 1);
  }

  /** Undoes `take` without waking the dispatcher (it is the dispatcher that calls it). */
  private putBack(page: P): void {
    this.busy.delete(page);
    this.leaveBrowser(page);
    this.idle.unshift(page);
  }

  private leaveBrowser(page: P): void {
    const browser = this.options.browserOf(page);
    this.busyByBrowser.set(browser, Math.max(0, (this.busyByBrowser.get(browser) ?? 0) - 1));
  }

  private removeIdle(page: P): void {
    const index = this.idle.indexOf(page);
    if (index >= 0) this.idle.splice(index, 1);
  }

  private removeWaiter(waiter: Waiter<P>): void {
    const index = this.waiters.indexOf(waiter);
    if (index >= 0) this.waiters.splice(index, 1);
  }

  private notifyIfDrained(): void {
    if (this.busy.size === 0 && this.drained) {
      this.drained();
      this.drained = undefined;
    }
  }

  private async openOne(): Promise<void> {
    this.opening += 1;
    let page: P;
    try {
      page = await this.options.open();
    } finally {
      this.opening -= 1;
    }
    if (this.closed) {
      await this.closeQuietly(page);
      return;
    }
    this.idle.push(page);
    void this.dispatch();
  }

  /** Opens a page in place of one destroyed, trying until it works or the pool closes. */
  private async replace(): Promise<void> {
    while (!this.closed) {
      try {
        await this.openOne();
        return;
      } catch (error) {
        this.options.logger.warn({ err: error }, 'could not open a chart page: trying again');
        await new Promise((resolve) => setTimeout(resolve, this.options.reopenDelayMs ?? 200));
      }
    }
  }

  private async closeQuietly(page: P): Promise<void> {
    try {
      await this.options.close(page);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'closing a chart page failed');
    }
  }
}
