/**
 * `FarmClient`: the HTTP API of echarts-farm as typed methods. Works wherever `fetch` does (Node 20,
 * browsers, Deno, Bun).
 *
 * ```ts
 * import { FarmClient } from 'echarts-farm/client';
 * const farm = new FarmClient({ baseUrl: 'http://localhost:3000' });
 * const png = await farm.render({ option, width: 800, height: 400 });
 * const task = await farm.wait((await farm.submit({ option })).taskId, { timeoutMs: 60_000 });
 * for await (const task of farm.tasks({ status: 'failed' })) console.log(task.taskId, task.error);
 * ```
 */
import { HttpTransport, type Exchange } from './http-transport.js';
import { TaskWaiter } from './task-waiter.js';
import type { CallOptions, ChartImage, ChartSpec, ListOptions, SubmittedTask, TaskPage, TaskView, WaitOptions } from './types.js';

/** How to reach the farm. */
export interface FarmClientOptions {
  /** Where the farm answers, such as `http://localhost:3000` or `https://example.com/farm`. */
  baseUrl: string;
  /** Sent as `X-API-Key` on every request. */
  apiKey?: string;
  /**
   * A bearer token (a JWT) sent as `Authorization: Bearer <token>`; a function is asked before every
   * request, so a token that expires can be refreshed.
   */
  token?: string | (() => string | Promise<string>);
  /** Sent on every request (a tenant header, a proxy's key…). */
  headers?: Record<string, string>;
  /**
   * How often a request is sent again after a 503 or 429 answer or a connection failure (refused,
   * unknown host; a POST only when it cannot have arrived), with exponential backoff from 250 ms.
   * @defaultValue 3
   */
  maxRetries?: number;
  /**
   * The longest wait before a retry. When Retry-After asks for more, the error is thrown at once
   * (with `retryAfterMs`) instead of blocking the caller that long.
   * @defaultValue 10000
   */
  maxRetryDelayMs?: number;
  /**
   * The longest a call may take, retries included, before it throws FarmTimeoutError; each call may
   * set its own. `wait` is bounded by its own `timeoutMs` only.
   * @defaultValue no limit
   */
  timeoutMs?: number;
  /**
   * The fetch to use (a proxy agent, a test double).
   * @defaultValue globalThis.fetch
   */
  fetch?: typeof fetch;
}

/** A client of one farm. Stateless: share one instance. */
export class FarmClient {
  private readonly transport: HttpTransport;

  constructor(options: FarmClientOptions) {
    this.transport = new HttpTransport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      token: options.token,
      headers: options.headers,
      maxRetries: options.maxRetries ?? 3,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    });
  }

  /** Renders `spec` in the request (`async=false`) and answers the image. */
  async render(spec: ChartSpec, options: CallOptions = {}): Promise<ChartImage> {
    return this.transport.send({
      method: 'POST',
      path: '/api/charts/generate',
      query: { async: false },
      body: spec,
      ...callOptions(options),
    }, imageOf);
  }

  /**
   * Queues `spec` as a task and answers it at once (`pending`). A repeated `idempotencyKey` answers
   * the first task (`existing: true`) instead of queueing another.
   */
  async submit(spec: ChartSpec, options: CallOptions & { idempotencyKey?: string } = {}): Promise<SubmittedTask> {
    const exchange: Exchange = { method: 'POST', path: '/api/charts/generate', body: spec, ...callOptions(options) };
    if (options.idempotencyKey !== undefined) exchange.headers = { 'idempotency-key': options.idempotencyKey };
    return this.present((await this.transport.json<SubmittedTask>(exchange)).data);
  }

  /** Queues many charts at once: all are queued, or none when one is invalid. */
  async batch(specs: ChartSpec[], options: CallOptions = {}): Promise<SubmittedTask[]> {
    const exchange: Exchange = { method: 'POST', path: '/api/charts/batch', body: { charts: specs }, ...callOptions(options) };
    return (await this.transport.json<{ tasks: SubmittedTask[] }>(exchange)).data.tasks.map((task) => this.present(task));
  }

  /** The task now. */
  async status(taskId: string, options: CallOptions = {}): Promise<TaskView> {
    const exchange: Exchange = { method: 'GET', path: `/api/charts/status/${encodeURIComponent(taskId)}`, ...callOptions(options) };
    return this.present((await this.transport.json<TaskView>(exchange)).data);
  }

  /**
   * The task once it is `completed`, `failed` or `cancelled`. Follows the task's event stream and
   * polls its status when the stream is unavailable. Rejects with FarmWaitTimeoutError after
   * `timeoutMs`, with the signal's reason when `signal` aborts.
   */
  wait(taskId: string, options: WaitOptions = {}): Promise<TaskView> {
    return new TaskWaiter(this.transport, taskId, options, (task) => this.present(task)).wait();
  }

  /** Cancels a pending or running task; a finished one is answered as it is. */
  async cancel(taskId: string, options: CallOptions = {}): Promise<TaskView> {
    const exchange: Exchange = { method: 'DELETE', path: `/api/charts/tasks/${encodeURIComponent(taskId)}`, ...callOptions(options) };
    return this.present((await this.transport.json<TaskView>(exchange)).data);
  }

  /** Tasks, newest first; pass `nextCursor` back as `cursor` for the next page. */
  async list(options: ListOptions & CallOptions = {}): Promise<TaskPage> {
    const { signal, timeoutMs, ...query } = options;
    const page = (await this.transport.json<TaskPage>({ method: 'GET', path: '/api/charts/tasks', query: { ...query }, signal, timeoutMs })).data;
    return { ...page, tasks: page.tasks.map((task) => this.present(task)) };
  }

  /**
   * Every task, newest first, page after page as the loop asks for them:
   * `for await (const task of farm.tasks({ status: 'failed' })) { ... }`. `limit` is the page size.
   */
  async *tasks(options: Omit<ListOptions, 'cursor'> & CallOptions = {}): AsyncGenerator<TaskView, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...options, cursor });
      yield* page.tasks;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** The image of a completed task. */
  async image(taskId: string, options: CallOptions = {}): Promise<ChartImage> {
    return this.transport.send({ method: 'GET', path: `/api/images/${encodeURIComponent(taskId)}`, ...callOptions(options) }, imageOf);
  }

  /** A task as the client answers it: its URLs absolute, ready to fetch from anywhere. */
  private present<T extends TaskView>(task: T): T {
    return {
      ...task,
      statusUrl: this.transport.resolve(task.statusUrl),
      imageUrl: task.imageUrl === null ? null : this.transport.resolve(task.imageUrl),
    };
  }
}

function callOptions(options: CallOptions): Pick<Exchange, 'signal' | 'timeoutMs'> {
  return { signal: options.signal, timeoutMs: options.timeoutMs };
}

async function imageOf(response: Response): Promise<ChartImage> {
  return {
    bytes: new Uint8Array(await response.arrayBuffer()),
    contentType: (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim(),
    fingerprint: response.headers.get('x-render-fingerprint'),
    serverTiming: response.headers.get('server-timing'),
  };
}
