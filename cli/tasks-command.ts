/** `echarts-farm tasks retry <taskId> | --failed`: queue failed tasks again, their attempts kept. */
import { parseArgs } from 'node:util';
import type { Config } from '../config/settings.js';
import { TASKS_USAGE } from './command-usage.js';
import { createLogger } from './create-logger.js';
import { createTaskQueue } from '../farm/task-system.js';

export async function tasksCommand(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { failed: { type: 'boolean', default: false } } });
  const [action, ...taskIds] = positionals;
  if (action !== 'retry' || (taskIds.length === 0) === !values.failed) {
    const problem = action === undefined ? 'say what to do' : action !== 'retry' ? `unknown action "${action}"` : 'give either task ids or --failed';
    process.stderr.write(`echarts-farm tasks: ${problem}\n${TASKS_USAGE}\n`);
    return 2;
  }
  if (!config.redisUrl) {
    process.stderr.write('echarts-farm tasks: the memory queue lives inside the serving process; set REDIS_URL to reach a shared queue\n');
    return 2;
  }
  const queue = await createTaskQueue(config, createLogger({ logLevel: 'warn' }, 'stderr'));
  try {
    const ids = values.failed ? await queue.failedTaskIds() : taskIds;
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
