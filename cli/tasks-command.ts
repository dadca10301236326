/** `echarts-farm tasks retry <taskId> | --failed`: queue failed tasks again, their attempts kept. */
import type { Config } from '../config/settings.js';
import { createLogger } from './create-logger.js';
import { createTaskQueue } from '../farm/task-system.js';

const USAGE = 'usage: echarts-farm tasks retry <taskId> [<taskId> ...] | echarts-farm tasks retry --failed';

export async function tasksCommand(args: string[], config: Config): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'retry' || rest.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!config.redisUrl) {
    process.stderr.write('echarts-farm tasks: the memory queue lives inside the serving process; set REDIS_URL to reach a shared queue\n');
    return 2;
  }
  const queue = await createTaskQueue(config, createLogger({ logLevel: 'warn' }, 'stderr'));
  try {
    const ids = rest.includes('--failed') ? await queue.failedTaskIds() : rest;
    let missing = 0;
    for (const taskId of ids) {
      const task = await queue.requeue(taskId);
      if (!task) missing += 1;
      process.stdout.write(`${taskId} ${task ? task.status : 'not found'}\n`);
    }
    process.stdout.write(`${ids.length - missing} of ${ids.length} task(s) queued again\n`);
    return missing > 0 ? 1 : 0;
  } finally {
    await queue.close();
  }
}
