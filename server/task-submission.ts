/** Turns a validated chart request into a queued task (the asynchronous half of generate and batch). */
import type { Config } from '../config/settings.js';
import { systemError, validationError } from '../errors/farm-error.js';
import { CallbackAllowList, checkCallbackUrl } from '../tasks/callback-address.js';
import type { RenderRequest } from '../renderer/render-request.js';
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

/** The rules every submission is held to, built once from the config. */
export interface SubmissionPolicy {
  /** QUEUE_MAX_PENDING */
  maxPending: number;
  /** WEBHOOK_ALLOW_HOSTS */
  callbackAllowList: CallbackAllowList;
}

export function submissionPolicy(config: Pick<Config, 'queueMaxPending' | 'webhookAllowHosts'>): SubmissionPolicy {
  return { maxPending: config.queueMaxPending, callbackAllowList: new CallbackAllowList(config.webhookAllowHosts) };
}

/**
 * Refuses a callbackUrl that is, or resolves to, an address of the farm's own network (400 naming
 * the field); the webhook sender checks it again at delivery.
 */
export async function refuseUnsafeCallback(callbackUrl: string | undefined, policy: SubmissionPolicy): Promise<void> {
  if (callbackUrl === undefined) return;
  const check = await checkCallbackUrl(callbackUrl, policy.callbackAllowList);
  if (!check.ok) throw validationError('INVALID_REQUEST', `callbackUrl ${check.problem}`, { field: 'callbackUrl' });
}

/** Queues `render` as a task of `owner` (lists, idempotency keys and status reads are per owner). */
export async function submitTask(
  tasks: TaskDeps,
  owner: string,
  render: RenderRequest,
  fields: TaskFields,
  policy: SubmissionPolicy,
): Promise<SubmitResult> {
  if (!tasks.accepting()) {
    throw systemError('SHUTTING_DOWN', 'the farm is shutting down and takes no new tasks; send it to another instance', {
      details: { retryAfterSeconds: 5 },
    });
  }
  await refuseUnsafeCallback(fields.callbackUrl, policy);
  const { maxPending } = policy;
  return tasks.queue.submit(
    {
      owner,
      priority: fields.priority ?? 'normal',
      config: { render, ossPath: validateOssPath(fields.ossPath ?? null) },
      idempotencyKey: fields.idempotencyKey ?? null,
      callbackUrl: fields.callbackUrl ?? null,
      requestHash: requestHash(render),
    },
    { maxPending },
  );
}
