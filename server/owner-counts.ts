/**
 * Counts of one owner's tasks, read through the queue's per-owner lists: the queue status an owner
 * without the admin scope sees, and the pending count OWNER_MAX_PENDING is held against.
 */
import type { TaskQueue } from '../tasks/task-queue.js';
import type { TaskStatus } from '../tasks/task.js';

const PAGE = 200;

/** The owner's tasks in `status`, counted up to `cap` (the count stops there: enough to decide). */
export async function countOwnerTasks(queue: Pick<TaskQueue, 'list'>, owner: string, status: TaskStatus, cap: number): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await queue.list({ owner, status, cursor, limit: Math.min(PAGE, cap - count + 1) });
    count += page.tasks.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && count <= cap);
  return Math.min(count, cap);
}

/** Counted up to this, an owner's figures stay cheap however many tasks it holds. */
export const OWNER_COUNT_CAP = 10_000;

/** What `GET /api/system/queue-status` answers an owner without the admin scope. */
export async function ownerQueueCounts(queue: Pick<TaskQueue, 'list'>, owner: string): Promise<{ pendingTasks: number; processingTasks: number }> {
  const [pendingTasks, processingTasks] = await Promise.all([
    countOwnerTasks(queue, owner, 'pending', OWNER_COUNT_CAP),
    countOwnerTasks(queue, owner, 'processing', OWNER_COUNT_CAP),
  ]);
  return { pendingTasks, processingTasks };
}
