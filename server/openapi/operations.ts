/**
 * Every operation of the HTTP contract: its parameters and body (the schemas the routes validate
 * with), its answers (the envelopes the routes send) and the error reasons it may answer. A test
 * compares this list with the router and asks every operation of it on a running farm.
 */
import { chartOperations } from './chart-operations.js';
import { dashboardOperations } from './dashboard-operations.js';
import { exportOperations } from './export-operations.js';
import { pressureOperations } from './pressure-operations.js';
import { imageOperations } from './image-operations.js';
import type { OperationDoc } from './operation-builder.js';
import { docsOperations, systemOperations } from './system-operations.js';
import { taskOperations } from './task-operations.js';

export type { OperationDoc } from './operation-builder.js';

/** Every operation, in the order the document lists them. */
export const OPERATIONS: readonly OperationDoc[] = [...chartOperations, ...exportOperations, ...taskOperations, ...imageOperations, ...systemOperations, ...pressureOperations, ...dashboardOperations, ...docsOperations];
