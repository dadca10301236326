/**
 * The typed client of echarts-farm: `import { FarmClient } from 'echarts-farm/client'`. It has no
 * dependency at run time (global `fetch` only); its types come from the farm's own declarations.
 */
export { FarmClient, type FarmClientOptions } from './farm-client.js';
export { FarmApiError, FarmClientError, FarmWaitTimeoutError, type FarmApiErrorInit } from './errors.js';
export { isFinalStatus } from './task-waiter.js';
export type {
  CallOptions,
  ChartImage,
  ChartSpec,
  ErrorReason,
  ErrorType,
  ListOptions,
  SubmittedTask,
  TaskPage,
  TaskStatus,
  TaskView,
  WaitOptions,
} from './types.js';
