/**
 * The typed client of echarts-farm: `import { FarmClient } from '@echarts-farm/client'` (or
 * `echarts-farm/client` inside the farm's own package). No dependency: global `fetch` only, and
 * types of its own.
 */
export { FarmClient, type FarmClientOptions } from './farm-client.js';
export {
  FarmApiError,
  FarmClientError,
  FarmConnectionError,
  FarmTimeoutError,
  FarmWaitTimeoutError,
  type FarmApiErrorInit,
} from './errors.js';
export { isFinalStatus } from './task-waiter.js';
export type {
  AttemptError,
  CallOptions,
  ChartImage,
  ChartSpec,
  ErrorReason,
  ErrorType,
  ListOptions,
  SubmittedTask,
  TaskPriority,
  TaskPage,
  TaskStatus,
  TaskView,
  WaitOptions,
} from './types.js';
