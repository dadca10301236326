/**
 * `FarmClient`: the HTTP API of echarts-farm as typed methods. Works wherever `fetch` does (Node 20,
 * browsers, Deno, Bun).
 *
 * ```ts
 * import { FarmClient } from 'echarts-farm/client';
 * const farm = new FarmClient({ baseUrl: 'http://localhost:3000' });
 * const png = await farm.render({ option, width: 800, height: 400 });
 * const task = await farm.wait((await farm.submit({ option })).taskId, { timeoutMs: 60_000 });
 * ```
 */
import type { TaskView } from '../tasks/task-view.js';
import { HttpTransport, type Exchange } from './http-transport.js';
import { TaskWaiter } from './task-waiter.js';
import type { CallOptions, ChartImage, ChartSpec, ListOptions, SubmittedTask, TaskPage, WaitOptions } from './types.js';

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
   * How often a request answered 503 or 429 is sent again.
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
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    });
  }

  /** Renders `spec` in the request (`async=false`) and answers the image. */
  async render(spec: ChartSpec, options: CallOptions = {}): Promise<ChartImage> {
    const response = await this.transport.send({
      method: 'POST',
      path: '/api/charts/generate',
      query: { async: false },
      body: spec,
      signal: options.signal,
    });
    return imageOf(response);
  }

  /**
   * Queues `spec` as a task and answers it at once (`pending`). A repeated `idempotencyKey` answers
   * the first task (`existing: true`) instead of queueing another.
   */
  async submit(spec: ChartSpec, options: CallOptions & { idempotencyKey?: string } = {}): Promise<SubmittedTask> {
    const exchange: Exchange = { method: 'POST', path: '/api/charts/generate', body: spec, signal: options.signal };
    if (options.idempotencyKey !== undefined) exchange.headers = { 'idempotency-key': options.idempotencyKey };
    return (await this.transport.json<SubmittedTask>(exchange)).data;
  }

  /** Queues many charts at once: all are queued, or none when one is invalid. */
  async batch(specs: ChartSpec[], options: CallOptions = {}): Promise<SubmittedTask[]> {
    const exchange: Exchange = { method: 'POST', path: '/api/charts/batch', body: { charts: specs }, signal: options.signal };
    return (await this.transport.json<{ tasks: SubmittedTask[] }>(exchange)).data.tasks;
  }

  /** The task now. */
  async status(taskId: string, options: CallOptions = {}): Promise<TaskView> {
    return (await this.transport.json<TaskView>({ method: 'GET', path: `/api/charts/status/${encodeURIComponent(taskId)}`, signal: options.signal })).data;
  }

  /**
   * The task once it is `completed`, `failed` or `cancelled`. Follows the task's event stream and
   * polls its status when the stream is unavailable. Rejects with FarmWaitTimeoutError after
   * `timeoutMs`, with the signal's reason when `signal` aborts.
   */
  wait(taskId: string, options: WaitOptions = {}): Promise<TaskView> {
    return new TaskWaiter(this.transport, taskId, options).wait();
  }

  /** Cancels a pending or running task; a finished one is answered as it is. */
  async cancel(taskId: string, options: CallOptions = {}): Promise<TaskView> {
    return (await this.transport.json<TaskView>({ method: 'DELETE', path: `/api/charts/tasks/${encodeURIComponent(taskId)}`, signal: options.signal })).data;
  }

  /** Tasks, newest first; pass `nextCursor` back as `cursor` for the next page. */
  async list(options: ListOptions & CallOptions = {}): Promise<TaskPage> {
    const { signal, ...query } = options;
    return (await this.transport.json<TaskPage>({ method: 'GET', path: '/api/charts/tasks', query: { ...query }, signal })).data;
  }

  /** The image of a completed task. */
  async image(taskId: string, options: CallOptions = {}): Promise<ChartImage> {
    return imageOf(await this.transport.send({ method: 'GET', path: `/api/images/${encodeURIComponent(taskId)}`, signal: options.signal }));
  }
}

async function imageOf(response: Response): Promise<ChartImage> {
  return {
    bytes: new Uint8Array(await response.arrayBuffer()),
    contentType: (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim(),
    fingerprint: response.headers.get('x-render-fingerprint'),
    serverTiming: response.headers.get('server-timing'),
  };
}
