/** Finding the task a request names, for the task and image routes alike. */
import { validationError } from '../errors/farm-error.js';
import type { TaskRecord } from '../tasks/task.js';
import type { TaskDeps } from './task-submission.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(taskId: string) {
  return validationError('NOT_FOUND', `no task ${taskId}`, { taskId });
}

/**
 * The task `taskId` of `owner` (of any owner when undefined: an admin); another owner's task is as
 * unknown as a task that never was.
 */
export async function taskOr404(tasks: TaskDeps, taskId: string, owner: string | undefined): Promise<TaskRecord> {
  if (!UUID.test(taskId)) throw notFound(taskId);
  const task = await tasks.queue.get(taskId);
  if (!task || (owner !== undefined && task.owner !== owner)) throw notFound(taskId);
  return task;
}
