/**
 * Waits for a task to reach a final state: follows its server-sent events, and polls its status when
 * the stream is unavailable (a proxy that buffers or refuses event streams) or breaks before the end.
 */
import { FarmApiError, FarmClientError, FarmWaitTimeoutError } from './errors.js';
import { readEventStream } from './event-stream.js';
import { eitherSignal, sleep, type HttpTransport } from './http-transport.js';
import type { TaskView, WaitOptions } from './types.js';

const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);
const DEFAULT_POLL_INTERVAL_MS = 1000;

/** True for `completed`, `failed` and `cancelled`: the task will not change any more. */
export function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

/** Follows one task for `wait`. */
export class TaskWaiter {
  private lastSeen: TaskView | null = null;

  constructor(
    private readonly transport: HttpTransport,
    private readonly taskId: string,
    private readonly options: WaitOptions,
    /** What the client makes of every task it answers (absolute URLs). */
    private readonly present: (task: TaskView) => TaskView,
  ) {}

  /** The task in its final state. */
  async wait(): Promise<TaskView> {
    const { timeoutMs, signal } = this.options;
    const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    const { signal: combined, release } = eitherSignal(signal, deadline);
    try {
      const via = this.options.via ?? 'auto';
      if (via !== 'polling') {
        const final = await this.followEvents(combined);
        if (final || via === 'events') return final ?? this.fail('the event stream ended before a final state');
      }
      return await this.poll(combined);
    } catch (error) {
      if (deadline?.aborted && !signal?.aborted) throw new FarmWaitTimeoutError(this.taskId, timeoutMs!, this.lastSeen);
      throw error;
    } finally {
      release();
    }
  }

  private see(received: TaskView): TaskView {
    const task = this.present(received);
    if (this.lastSeen?.status !== task.status) this.options.onStatus?.(task);
    this.lastSeen = task;
    return task;
  }

  /** The final state from the event stream, or undefined when the stream cannot give it. */
  private async followEvents(signal: AbortSignal | undefined): Promise<TaskView | undefined> {
    let response: Response;
    try {
      response = await this.transport.send({
        method: 'GET',
        path: `/api/charts/events/${encodeURIComponent(this.taskId)}`,
        headers: { accept: 'text/event-stream' },
        signal,
        // The wait's own timeoutMs bounds the stream; a per-call deadline would cut it.
        timeoutMs: null,
      });
    } catch (error) {
      // The farm's own "no such task" is final; anything else (a proxy's 502, a reset) is worth a poll.
      if (signal?.aborted || (error instanceof FarmApiError && error.reason !== null && error.status < 500)) throw error;
      return undefined;
    }
    if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await response.body?.cancel();
      return undefined;
    }
    try {
      for await (const event of readEventStream(response.body)) {
        if (event.event !== 'status') continue;
        const task = this.see(JSON.parse(event.data) as TaskView);
        if (isFinalStatus(task.status)) return task;
      }
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // A stream cut mid-way is no failure of the task: polling picks up from its current state.
      if (!(error instanceof TypeError) && !(error instanceof SyntaxError)) throw error;
    }
    return undefined;
  }

  private async poll(signal: AbortSignal | undefined): Promise<TaskView> {
    for (;;) {
      const { data: received } = await this.transport.json<TaskView>({
        method: 'GET',
        path: `/api/charts/status/${encodeURIComponent(this.taskId)}`,
        signal,
        timeoutMs: null,
      });
      const data = this.see(received);
      if (isFinalStatus(data.status)) return data;
      await sleep(this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, signal);
    }
  }

  private fail(message: string): never {
    throw new FarmClientError(`task ${this.taskId}: ${message}`);
  }
}
