/** Turns a validated chart request into a queued task (the asynchronous half of generate and batch). */
import { systemError } from '../errors/farm-error.js';
import type { RenderRequest } from '../renderer/render-request.js';
import type { ExportJob } from '../reports/export-job.js';
import { validateOssPath } from '../tasks/object-keys.js';
import { requestHash } from '../tasks/request-hash.js';
import type { SubmitResult, TaskQueue } from '../tasks/task-queue.js';
import type { TaskPriority, TaskRecord } from '../tasks/task.js';

/** The task system as the HTTP layer sees it. */
export interface TaskDeps {
  queue: TaskQueue;
  /** False once the farm is shutting down: new tasks are refused with 503. */
  accepting(): boolean;
  /** Told of a task the API cancelled before any worker took it (webhooks). */
  onCancelled?: (task: TaskRecord) => void;
}

export interface TaskFields {
  ossPath?: string;
  priority?: TaskPriority;
  idempotencyKey?: string;
  callbackUrl?: string;
}

/**
 * Queues `render` as a task of `owner` (lists, idempotency keys and status reads are per owner); with
 * `exportJob`, the task makes that report and `render` is its first chart.
 */
export async function submitTask(
  tasks: TaskDeps,
  owner: string,
  render: RenderRequest,
  fields: TaskFields,
  maxPending: number,
  exportJob?: ExportJob,
): Promise<SubmitResult> {
  if (!tasks.accepting()) {
    throw systemError('SHUTTING_DOWN', 'the farm is shutting down and takes no new tasks; send it to another instance', {
      details: { retryAfterSeconds: 5 },
    });
  }
  return tasks.queue.submit(
    {
      owner,
      priority: fields.priority ?? 'normal',
      config: { render, ossPath: validateOssPath(fields.ossPath ?? null), ...(exportJob ? { export: exportJob } : {}) },
      idempotencyKey: fields.idempotencyKey ?? null,
      callbackUrl: fields.callbackUrl ?? null,
      requestHash: requestHash(exportJob ?? render),
    },
    { maxPending },
  );
}
