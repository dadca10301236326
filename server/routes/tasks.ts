/**
 * The task routes of the contract: status, list, cancel, server-sent events, batch, and the queue
 * and worker views. Registered only when the app has a task system.
 */
import { PassThrough } from 'node:stream';
import { FarmError, isFarmError, validationError } from '../../errors/farm-error.js';
import { queueFullError } from '../../tasks/task-lifecycle.js';
import { describeIssues } from '../../renderer/render-request.js';
import { isFinal, type TaskRecord } from '../../tasks/task.js';
import type { AppDeps, FarmContext, FarmRouter } from '../app-deps.js';
import { parseGenerateRequest, requestPolicyOf } from '../chart-requests.js';
import { sendData } from '../envelope.js';
import { jsonBody } from '../middleware/json-body.js';
import { requireAdmin, visibleOwner } from '../auth/scopes.js';
import { ownerQueueCounts } from '../owner-counts.js';
import { taskOr404 } from '../task-lookup.js';
import { refuseOverQuota, refuseUnsafeCallback, submissionPolicy, submitTask, type TaskDeps } from '../task-submission.js';
import { batchBodySchema, listQuerySchema } from '../task-requests.js';
import { taskView } from '../../tasks/task-view.js';


/** One SSE event per status change; the stream ends on a final state or when the client leaves. */
async function streamEvents(ctx: FarmContext, tasks: TaskDeps, task: TaskRecord): Promise<void> {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  ctx.status = 200;
  ctx.body = stream;
  let sequence = 0;
  let lastSent: TaskRecord['status'] | undefined;
  let stop: (() => Promise<void>) | undefined;
  const end = (): void => {
    void stop?.();
    stream.end();
  };
  // One event per change: a status already sent (or anything after the final one) is skipped, so
  // the state read below and a change heard meanwhile never make a duplicate or a write after end.
  const send = (record: TaskRecord): void => {
    if (stream.writableEnded || record.status === lastSent) return;
    lastSent = record.status;
    sequence += 1;
    stream.write(`id: ${sequence}\nevent: status\ndata: ${JSON.stringify(taskView(record))}\n\n`);
    if (isFinal(record.status)) end();
  };
  stop = await tasks.queue.watch(task.taskId, send);
  // The state now, after subscribing, so no change falls between the two.
  send((await tasks.queue.get(task.taskId)) ?? task);
  if (stream.writableEnded) return;
  const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), 15_000);
  stream.on('finish', () => clearInterval(keepAlive));
  ctx.req.on('close', end);
}

/** Adds the task routes to `router`. */
export function addTaskRoutes(router: FarmRouter, deps: AppDeps, tasks: TaskDeps): void {
  const policy = requestPolicyOf(deps.config);
  const submission = submissionPolicy(deps.config);

  router.get('/api/charts/status/:taskId', async (ctx) => {
    sendData(ctx, taskView(await taskOr404(tasks, ctx.params.taskId!, visibleOwner(ctx))));
  });

  router.get('/api/charts/tasks', async (ctx) => {
    const query = listQuerySchema.safeParse(ctx.query);
    if (!query.success) {
      const issues = describeIssues(query.error);
      throw validationError('INVALID_REQUEST', issues.map((issue) => `${issue.field} ${issue.problem}`).join('; '), { issues });
    }
    const page = await tasks.queue.list({ ...query.data, owner: visibleOwner(ctx) });
    sendData(ctx, { tasks: page.tasks.map(taskView), nextCursor: page.nextCursor });
  });

  router.delete('/api/charts/tasks/:taskId', async (ctx) => {
    const task = await taskOr404(tasks, ctx.params.taskId!, visibleOwner(ctx));
    const cancelled = (await tasks.queue.cancel(task.taskId)) ?? task;
    const changed = cancelled.status === 'cancelled' && task.status !== 'cancelled';
    // A running task's cancellation is reported by its worker; a pending one's only here.
    if (changed && task.status === 'pending') tasks.onCancelled?.(cancelled);
    sendData(ctx, taskView(cancelled), { msg: changed ? 'cancelled' : `already ${cancelled.status}` });
  });

  router.get('/api/charts/events/:taskId', async (ctx) => {
    await streamEvents(ctx, tasks, await taskOr404(tasks, ctx.params.taskId!, visibleOwner(ctx)));
  });

  router.post('/api/charts/batch', jsonBody(deps.config.maxBodyBytes), async (ctx) => {
    const body = batchBodySchema.safeParse(ctx.state.body);
    if (!body.success) {
      const issues = describeIssues(body.error);
      throw validationError('INVALID_REQUEST', issues.map((issue) => `${issue.field} ${issue.problem}`).join('; '), { issues });
    }
    const charts = body.data.charts;
    if (charts.length > deps.config.batchMaxCharts) {
      throw validationError('INVALID_REQUEST', `a batch holds at most ${deps.config.batchMaxCharts} charts (BATCH_MAX_CHARTS), got ${charts.length}`, {
        field: 'charts',
      });
    }
    // Every chart is checked before any is queued: a batch is refused whole or queued whole.
    const requests = charts.map((chart, index) => {
      try {
        return parseGenerateRequest(chart, {}, policy);
      } catch (error) {
        if (!isFarmError(error)) throw error;
        // Every field path is given from the batch body, so a client finds the chart and the field.
        const within = (field: string) => (field === '(body)' ? `charts[${index}]` : `charts[${index}].${field}`);
        const issues = (error.details.issues as { field: string; problem: string }[] | undefined)?.map((issue) => ({ ...issue, field: within(issue.field) }));
        const field = typeof error.details.field === 'string' ? within(error.details.field) : (issues?.[0]?.field ?? `charts[${index}]`);
        throw new FarmError({
          reason: error.reason,
          message: `charts[${index}]: ${error.message}`,
          details: { ...error.details, field, ...(issues ? { issues } : {}), index },
          retryable: error.retryable,
        });
      }
    });
    if ((await tasks.queue.counts()).pending + requests.length > deps.config.queueMaxPending) {
      throw queueFullError(deps.config.queueMaxPending);
    }
    // A refused callbackUrl, rate or quota refuses the batch before any chart is queued.
    await ctx.state.chargeCharts?.(requests.length);
    for (const request of requests) await refuseUnsafeCallback(request.task.callbackUrl, submission);
    await refuseOverQuota(tasks.queue, ctx.state.owner, requests.length, submission);
    const counted = { ...submission, ownerMaxPending: () => 0 };
    const results = [];
    for (const request of requests) results.push(await submitTask(tasks, ctx.state.owner, request.render, request.task, counted));
    sendData(ctx, { tasks: results.map(({ task, existing }) => ({ ...taskView(task), existing })) }, { status: 202, msg: 'queued' });
  });

  router.get('/api/system/queue-status', async (ctx) => {
    if (!ctx.state.admin) {
      sendData(ctx, { backend: tasks.queue.backend, owner: ctx.state.owner, ...(await ownerQueueCounts(tasks.queue, ctx.state.owner)), accepting: tasks.accepting() });
      return;
    }
    const [counts, workers] = await Promise.all([tasks.queue.counts(), tasks.queue.workers()]);
    sendData(ctx, {
      backend: tasks.queue.backend,
      pendingTasks: counts.pending,
      processingTasks: counts.processing,
      completedTasks: counts.completed,
      failedTasks: counts.failed,
      cancelledTasks: counts.cancelled,
      totalProcessed: counts.totalProcessed,
      averageProcessingTime: Math.round(counts.averageProcessingMs) / 1000,
      maxPending: deps.config.queueMaxPending,
      capacity: workers.reduce((total, worker) => total + worker.concurrency, 0),
      workers: workers.length,
      accepting: tasks.accepting(),
    });
  });

  router.get('/api/system/workers', async (ctx) => {
    requireAdmin(ctx);
    sendData(ctx, { workers: await tasks.queue.workers() });
  });
}

