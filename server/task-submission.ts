/** Turns a validated chart request into a queued task (the asynchronous half of generate and batch). */
import { systemError, validationError } from '../errors/farm-error.js';
import type { RenderRequest } from '../renderer/render-request.js';
import { validateOssPath } from '../tasks/object-keys.js';
import { requestHash } from '../tasks/request-hash.js';
import type { SubmitResult, NewTask, TaskQueue } from '../tasks/task-queue.js';
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

/** What of a new request differs from the earlier task its idempotency key points at. */
function differencesFrom(earlier: TaskRecord, input: NewTask): string[] {
  const differs: string[] = [];
  if (earlier.requestHash !== input.requestHash) differs.push('render');
  if (earlier.config.ossPath !== input.config.ossPath) differs.push('ossPath');
  if (earlier.priority !== input.priority) differs.push('priority');
  if (earlier.callbackUrl !== input.callbackUrl) differs.push('callbackUrl');
  return differs;
}

/**
 * Queues `render` as a task of `owner` (lists, idempotency keys and status reads are per owner). A
 * repeated idempotency key answers the earlier task, but only for the same request: a key reused for
 * a different one is refused (422 IDEMPOTENCY_CONFLICT) rather than silently answered with the wrong chart.
 */
export async function submitTask(
  tasks: TaskDeps,
  owner: string,
  render: RenderRequest,
  fields: TaskFields,
  maxPending: number,
): Promise<SubmitResult> {
  if (!tasks.accepting()) {
    throw systemError('SHUTTING_DOWN', 'the farm is shutting down and takes no new tasks; send it to another instance', {
      details: { retryAfterSeconds: 5 },
    });
  }
  const input: NewTask = {
    owner,
    priority: fields.priority ?? 'normal',
    config: { render, ossPath: validateOssPath(fields.ossPath ?? null) },
    idempotencyKey: fields.idempotencyKey ?? null,
    callbackUrl: fields.callbackUrl ?? null,
    requestHash: requestHash(render),
  };
  const result = await tasks.queue.submit(input, { maxPending });
  const differs = result.existing ? differencesFrom(result.task, input) : [];
  if (differs.length > 0) {
    throw validationError(
      'IDEMPOTENCY_CONFLICT',
      `Idempotency-Key ${input.idempotencyKey} was used for task ${result.task.taskId} with a different request (${differs.join(', ')}); use a new key for a new chart`,
      { field: 'Idempotency-Key', taskId: result.task.taskId, differs },
    );
  }
  return result;
}
