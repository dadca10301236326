/**
 * The `ssr` engine: ECharts' server-side SVG (`init(null, theme, {renderer: 'svg', ssr: true})`,
 * `renderToSVGString`) with no browser. It runs in a worker thread of its own, for three reasons:
 * a big option would otherwise block the farm's event loop (HTTP, heartbeats) for as long as
 * ECharts works; a render that never ends can be stopped (the thread is terminated) and
 * RENDER_TIMEOUT_MS holds; and ECharts' globals (maps, themes, a seeded Math.random, a frozen
 * Date) stay out of the server's own globals. Renders run one at a time, in order.
 */
import type { Worker } from 'node:worker_threads';
import { FarmError, processingError, systemError, validationError } from '../errors/farm-error.js';
import { startModuleWorker } from './module-worker.js';
import { PAGE_ORIGIN, type PageAssets } from './page-assets.js';
import type { RenderRequest } from './render-request.js';
import { silentLogger, type RenderLogger } from './render-logger.js';
import type { SsrJob, SsrReply, SsrWorkerData } from './ssr-worker.js';

/** How an `SsrEngine` runs. */
export interface SsrEngineOptions {
  /** The chart page's assets: its themes and maps are registered in the worker too. */
  assets: PageAssets;
  /** A render past this fails with RENDER_TIMEOUT and its worker is replaced. */
  timeoutMs: number;
  logger?: RenderLogger;
}

/** An SVG drawn by the engine, before counter normalisation. */
export interface SsrOutput {
  svg: string;
  setOptionMs: number;
  exportMs: number;
}

/** Starts the worker thread: the compiled `ssr-worker.js` beside this file, or its `.ts` source under tsx. */
function startWorker(workerData: SsrWorkerData): Worker {
  return startModuleWorker(import.meta.url, 'ssr-worker', { workerData });
}

function assetText(assets: PageAssets, path: string): string {
  const asset = assets.lookup(`${PAGE_ORIGIN}${path}`);
  if (!asset) throw new Error(`the chart page has no asset ${path}`);
  return asset.body.toString('utf8');
}

/** Draws charts with ECharts' server-side SVG renderer in one worker thread, started on the first render. */
export class SsrEngine {
  private worker: Worker | undefined;
  private nextJobId = 1;
  /** Renders wait here for the one before them: the worker draws one chart at a time. */
  private line: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly logger: RenderLogger;
  private readonly workerData: SsrWorkerData;

  constructor(private readonly options: SsrEngineOptions) {
    this.logger = options.logger ?? silentLogger;
    // The very files the page loads, so the render fingerprint covers what this engine runs too.
    this.workerData = {
      determinismJs: assetText(options.assets, '/pages/determinism.js'),
      optionRulesJs: assetText(options.assets, '/pages/option-rules.js'),
      themesJs: assetText(options.assets, '/assets/themes.js'),
      mapsJs: assetText(options.assets, '/assets/maps.js'),
    };
  }

  /** Draws `request` (engine `ssr`, a JSON option) as an SVG string. Rejects with a FarmError. */
  render(request: RenderRequest): Promise<SsrOutput> {
    const turn = this.line.then(() => this.renderNow(request));
    this.line = turn.catch(() => undefined);
    return turn;
  }

  private renderNow(request: RenderRequest): Promise<SsrOutput> {
    if (this.closed) return Promise.reject(systemError('POOL_CLOSED', 'the renderer is shutting down', { retryable: false }));
    if (typeof request.option === 'string') {
      // parseRenderRequest refuses this already; the engine refuses it again on its own account.
      return Promise.reject(validationError('FUNCTIONS_NOT_ALLOWED', 'renderer ssr never runs JavaScript options', { field: 'option' }));
    }
    const worker = this.ensureWorker();
    const job: SsrJob = {
      id: this.nextJobId++,
      option: request.option,
      width: request.width,
      height: request.height,
      theme: request.theme ?? null,
      background: request.background && request.background !== 'transparent' ? request.background : null,
      seed: request.seed ?? null,
      frozenTime: request.frozenTime ?? null,
    };
    return new Promise<SsrOutput>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: SsrReply): void => {
        if (reply.id !== job.id) return;
        settle();
        if (reply.ok) resolve({ svg: reply.svg, setOptionMs: reply.setOptionMs, exportMs: reply.exportMs });
        else reject(replyError(reply));
      };
      const onError = (error: Error): void => {
        settle();
        this.discard(worker);
        reject(systemError('INTERNAL', `the server-side SVG engine failed: ${error.message}`, { retryable: true, cause: error }));
      };
      const onExit = (): void => {
        settle();
        this.discard(worker);
        reject(systemError('POOL_CLOSED', 'the server-side SVG engine stopped during the render', { retryable: true }));
      };
      const timer = setTimeout(() => {
        settle();
        this.logger.warn({ timeoutMs: this.options.timeoutMs }, 'server-side SVG render timed out; replacing its worker');
        this.discard(worker);
        void worker.terminate();
        reject(
          new FarmError({
            reason: 'RENDER_TIMEOUT',
            message: `the chart did not finish rendering within ${this.options.timeoutMs} ms (RENDER_TIMEOUT_MS)`,
          }),
        );
      }, this.options.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job);
    });
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = startWorker(this.workerData);
      // An idle worker must not keep a CLI process alive.
      this.worker.unref();
    }
    return this.worker;
  }

  private discard(worker: Worker): void {
    if (this.worker === worker) this.worker = undefined;
  }

  /** Lets the render in progress end (up to `graceMs`), then stops the worker; later renders fail with POOL_CLOSED. */
  async close(graceMs = 10_000): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.line, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

function replyError(reply: Extract<SsrReply, { ok: false }>): FarmError {
  if (reply.kind === 'unknown-series') {
    return validationError('INVALID_OPTION', `the option asks for an ${reply.message}; ECharts would leave it out of the image`, {
      field: 'option.series',
    });
  }
  return processingError('RENDER_FAILED', `ECharts could not draw the option server-side: ${reply.message}`);
}
