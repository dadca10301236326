/** What clients see of a task: the record without its option, plus where to follow it. */
import type { TaskRecord } from './task.js';

export interface TaskView {
  taskId: string;
  status: TaskRecord['status'];
  statusUrl: string;
  imageUrl: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  error: TaskRecord['error'];
  retryCount: number;
  attempts: TaskRecord['attempts'];
  priority: TaskRecord['priority'];
  type: string;
  width: number;
  height: number;
  devicePixelRatio: number;
  fileName: string | null;
  contentType: string | null;
  bytes: number | null;
  durationMs: number | null;
  fingerprint: string | null;
  cached: boolean;
  idempotencyKey: string | null;
  /** The worker (`host:pid`) that holds or held the task. */
  workerId: string | null;
  /** Characters of the chart's text that no font drew; empty when every one was drawn. */
  missingGlyphs: NonNullable<TaskRecord['missingGlyphs']>;
}

export function taskView(task: TaskRecord): TaskView {
  const render = task.config.render;
  return {
    taskId: task.taskId,
    status: task.status,
    statusUrl: `/api/charts/status/${task.taskId}`,
    imageUrl: task.imageUrl,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    completedAt: task.completedAt,
    error: task.error,
    retryCount: task.retryCount,
    attempts: task.attempts,
    priority: task.priority,
    type: task.config.export?.format ?? render.type,
    width: render.width,
    height: render.height,
    devicePixelRatio: render.devicePixelRatio,
    fileName: task.fileName,
    contentType: task.contentType,
    bytes: task.bytes,
    durationMs: task.durationMs,
    fingerprint: task.fingerprint,
    cached: task.cached,
    idempotencyKey: task.idempotencyKey,
    workerId: task.workerId,
    missingGlyphs: task.missingGlyphs ?? [],
  };
}
