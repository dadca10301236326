import { MemoryTaskQueue } from '../../tasks/memory/memory-task-queue.js';
import { taskQueueContract } from '../contract/task-queue.contract.js';

taskQueueContract('memory', async () => new MemoryTaskQueue());
