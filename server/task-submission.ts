/** Turns a validated chart request into a queued task (the asynchronous half of generate and batch). */
import type { Config } from '../config/settings.js';
import { FarmError, systemError, validationError } from '../errors/farm-error.js';
import { countOwnerTasks } from './owner-counts.js';
import { CallbackAllowList, checkCallbackUrl } from '../tasks/callback-address.js';
import type { RenderRequest } from '../renderer/render-request.js';
import type { ExportJob } from '../reports/export-job.js';
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

/** The rules every submission is held to, built once from the config. */
export interface SubmissionPolicy {
  /** QUEUE_MAX_PENDING */
  maxPending: number;
  /** WEBHOOK_ALLOW_HOSTS */
  callbackAllowList: CallbackAllowList;
  /** Pending tasks `owner` may hold (its maxPending in API_KEYS_FILE, else OWNER_MAX_PENDING); 0: no cap. */
  ownerMaxPending(owner: string): number;
}

export function submissionPolicy(config: Pick<Config, 'queueMaxPending' | 'webhookAllowHosts' | 'ownerMaxPending' | 'apiKeysFile'>): SubmissionPolicy {
  const ownMaxPending = new Map(config.apiKeysFile.flatMap((entry) => (entry.maxPending === undefined ? [] : [[entry.owner, entry.maxPending] as const])));
  return {
    maxPending: config.queueMaxPending,
    callbackAllowList: new CallbackAllowList(config.webhookAllowHosts),
    ownerMaxPending: (owner) => ownMaxPending.get(owner) ?? config.ownerMaxPending,
  };
}

/** A pending task starts within seconds on a farm that works; coming back sooner only adds load. */
const QUOTA_RETRY_AFTER_SECONDS = 5;

/**
 * Refuses `incoming` more tasks of `owner` with 429 QUOTA_EXCEEDED when they would take it past its
 * cap of pending tasks. Submissions racing in other API processes may pass the same check at once,
 * so the cap can be passed by as many tasks as arrive in that instant.
 */
export async function refuseOverQuota(queue: Pick<TaskQueue, 'list'>, owner: string, incoming: number, policy: SubmissionPolicy): Promise<void> {
  const cap = policy.ownerMaxPending(owner);
  if (cap === 0) return;
  const pending = await countOwnerTasks(queue, owner, 'pending', cap);
  if (pending + incoming <= cap) return;
  throw new FarmError({
    reason: 'QUOTA_EXCEEDED',
    message: `owner ${owner} has ${pending} pending tasks and may hold ${cap} (OWNER_MAX_PENDING); try again in ${QUOTA_RETRY_AFTER_SECONDS} s`,
    details: { retryAfterSeconds: QUOTA_RETRY_AFTER_SECONDS, maxPending: cap, pending },
  });
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

/**
 * Queues `render` as a task of `owner` (lists, idempotency keys and status reads are per owner). A
 * repeated idempotency key answers the earlier task, but only for the same request: a key reused for
 * a different one is refused (422 IDEMPOTENCY_CONFLICT) rather than silently answered with the wrong chart.
 * With `exportJob`, the task makes that report and `render` is its first chart.
 */
export async function submitTask(
  tasks: TaskDeps,
  owner: string,
  render: RenderRequest,
  fields: TaskFields,
  policy: SubmissionPolicy,
  exportJob?: ExportJob,
): Promise<SubmitResult> {
  if (!tasks.accepting()) {
    throw systemError('SHUTTING_DOWN', 'the farm is shutting down and takes no new tasks; send it to another instance', {
      details: { retryAfterSeconds: 5 },
    });
  }
  await refuseUnsafeCallback(fields.callbackUrl, policy);
  await refuseOverQuota(tasks.queue, owner, 1, policy);
  const input: NewTask = {
    owner,
    priority: fields.priority ?? 'normal',
    config: { render, ossPath: validateOssPath(fields.ossPath ?? null), ...(exportJob ? { export: exportJob } : {}) },
    idempotencyKey: fields.idempotencyKey ?? null,
    callbackUrl: fields.callbackUrl ?? null,
    requestHash: requestHash(exportJob ?? render, owner),
  };
  const result = await tasks.queue.submit(input, { maxPending: policy.maxPending });
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
