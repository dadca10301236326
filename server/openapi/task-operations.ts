/** The task operations: status, list, cancel and events. */
import * as envelopes from './answer-envelopes.js';
import { ok, operation, taskIdParameters, type OperationDoc } from './operation-builder.js';
import { listQueryDocs } from './request-schemas.js';
import { jsonAnswer, parametersOf } from './responses.js';
import { EXAMPLE_PENDING_TASK, EXAMPLE_TASK } from './task-schemas.js';

/** Operations on queued tasks. */
export const taskOperations: OperationDoc[] = [
  operation('get', '/api/charts/status/{taskId}', {
    operationId: 'getTaskStatus',
    tag: 'tasks',
    summary: 'The state of a task',
    parameters: taskIdParameters,
    responses: { 200: jsonAnswer('The task.', envelopes.taskEnvelope, ok(EXAMPLE_TASK)) },
    errors: ['NOT_FOUND', 'QUEUE_UNAVAILABLE'],
  }),
  operation('get', '/api/charts/tasks', {
    operationId: 'listTasks',
    tag: 'tasks',
    summary: 'Tasks, newest first, with cursor paging',
    parameters: parametersOf(listQueryDocs, 'query'),
    responses: { 200: jsonAnswer('A page of tasks.', envelopes.taskPageEnvelope, ok({ tasks: [EXAMPLE_TASK], nextCursor: null })) },
    errors: ['INVALID_REQUEST', 'QUEUE_UNAVAILABLE'],
  }),
  operation('delete', '/api/charts/tasks/{taskId}', {
    operationId: 'cancelTask',
    tag: 'tasks',
    summary: 'Cancel a task: a pending one at once, a running one is aborted',
    description: 'A task already in a final state is answered as it is, with `msg` `already <status>`.',
    parameters: taskIdParameters,
    responses: {
      200: jsonAnswer('The task after the cancellation.', envelopes.taskEnvelope, ok({ ...EXAMPLE_PENDING_TASK, status: 'cancelled' }, 'cancelled')),
    },
    errors: ['NOT_FOUND', 'QUEUE_UNAVAILABLE'],
  }),
  operation('get', '/api/charts/events/{taskId}', {
    operationId: 'streamTaskEvents',
    tag: 'tasks',
    summary: 'Server-sent events: one status event per status change, until a final state',
    description:
      'The first event is the state at subscription; each `data` is a TaskView (JSON). The stream ends after ' +
      '`completed`, `failed` or `cancelled`; comments (`: keep-alive`) arrive every 15 s.',
    parameters: taskIdParameters,
    responses: {
      200: {
        description: 'An event stream of TaskView objects.',
        content: {
          'text/event-stream': {
            schema: { type: 'string' },
            example: `id: 1\nevent: status\ndata: ${JSON.stringify({ ...EXAMPLE_PENDING_TASK, status: 'processing' })}\n\nid: 2\nevent: status\ndata: ${JSON.stringify(EXAMPLE_TASK)}\n\n`,
          },
        },
      },
    },
    errors: ['NOT_FOUND', 'QUEUE_UNAVAILABLE'],
  }),
];

