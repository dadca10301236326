/**
 * The task record of the HTTP contract, as both queue backends store it. Every field is plain JSON,
 * so a record travels through Redis unchanged.
 */
import type { ErrorType } from '../errors/farm-error.js';
import type { RenderRequest } from '../renderer/render-request.js';
import type { ExportJob } from '../reports/export-job.js';
import type { MissingGlyph } from '../renderer/missing-glyphs.js';

export const TASK_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task in one of these states never changes again (unless requeued by an operator). */
export const FINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

export const TASK_PRIORITIES = ['high', 'normal', 'low'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** What a task renders and where its image goes. */
export interface TaskConfig {
  render: RenderRequest;
  /** Folder below the storage prefix, validated before the task is queued. */
  ossPath: string | null;
  /** Set for a report of many charts in one file; `render` is then its first chart. */
  export?: ExportJob;
}

/** Why one attempt failed. */
export interface AttemptError {
  attempt: number;
  type: ErrorType;
  reason: string;
  message: string;
  retryable: boolean;
  at: string;
}

export interface TaskRecord {
  /** UUID v4. */
  taskId: string;
  status: TaskStatus;
  priority: TaskPriority;
  /** Who submitted it (the API key's name, or `anonymous`): lists and idempotency are per owner. */
  owner: string;
  config: TaskConfig;
  /** ISO 8601 UTC; createdAt ≤ startedAt ≤ completedAt. */
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  imageUrl: string | null;
  fileName: string | null;
  objectKey: string | null;
  contentType: string | null;
  bytes: number | null;
  /** The error that ended the task (the last attempt's), when it failed or was cancelled. */
  error: AttemptError | null;
  /** Attempts after the first. */
  retryCount: number;
  /** The error of every failed attempt, oldest first. */
  attempts: AttemptError[];
  durationMs: number | null;
  /** Render fingerprint hash of the page that drew the image. */
  fingerprint: string | null;
  /** True when the image is a stored result of an identical earlier request. */
  cached: boolean;
  idempotencyKey: string | null;
  callbackUrl: string | null;
  /** The worker that holds or held it. */
  workerId: string | null;
  /** Hash of everything that decides the image but the fingerprint (see request-hash.ts). */
  requestHash: string;
  /** Characters of the chart's text that no font drew, when there were any. */
  missingGlyphs?: MissingGlyph[];
}

export function isFinal(status: TaskStatus): boolean {
  return FINAL_STATUSES.has(status);
}
