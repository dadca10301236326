/**
 * The task answers of the contract as zod schemas: what clients see of a task (`TaskView`), the
 * error of a failed attempt, and the lists the task routes answer. Each is checked against the
 * TypeScript type the routes build, so the document describes what is really sent.
 */
import { z } from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES, type AttemptError } from '../../tasks/task.js';
import type { TaskView } from '../../tasks/task-view.js';
import { IMAGE_TYPES } from '../../renderer/render-request.js';
import type { Describes } from './describes.js';
import { ERROR_REASONS, ERROR_TYPES } from '../../errors/error-reasons.js';

const EXAMPLE_TASK_ID = '7d1c3f0e-4b8a-4c55-9a1e-2f6b3c9d8e10';

/** ISO 8601 UTC, as every timestamp of the farm. */
const timestamp = z.iso.datetime().meta({ examples: ['2024-05-01T08:30:00.000Z'] });

/** The error of one failed attempt of a task. */
export const attemptErrorSchema = z
  .object({
    attempt: z.int().min(1).meta({ description: 'Which attempt failed: 1 for the first.' }),
    type: z.enum(ERROR_TYPES).meta({ description: 'Error family.' }),
    reason: z.enum(ERROR_REASONS).meta({ description: 'Stable machine code; see the ErrorEnvelope schema for the list.' }),
    message: z.string().meta({ description: 'What went wrong, for people.' }),
    retryable: z.boolean().meta({ description: 'True when the farm would try the task again (crashed browser, failed upload).' }),
    at: timestamp.meta({ description: 'When the attempt failed.' }),
  })
  .meta({ id: 'AttemptError', description: 'Why one attempt of a task failed.' });

true satisfies Describes<typeof attemptErrorSchema, AttemptError>;

/** What clients see of a task: its record without the option, plus where to follow it. */
export const taskViewSchema = z
  .object({
    taskId: z.uuid().meta({ description: 'UUID v4 of the task.', examples: [EXAMPLE_TASK_ID] }),
    status: z.enum(TASK_STATUSES).meta({
      description: '`pending` → `processing` → `completed` | `failed`; `cancelled` from either of the first two. The last three never change.',
    }),
    statusUrl: z.string().meta({ description: 'Path of this view.', examples: [`/api/charts/status/${EXAMPLE_TASK_ID}`] }),
    imageUrl: z.string().nullable().meta({
      description: 'Where the image is, once completed: `<PUBLIC_BASE_URL>/api/images/<taskId>` or a path relative to the API.',
      examples: [`/api/images/${EXAMPLE_TASK_ID}`],
    }),
    createdAt: timestamp.meta({ description: 'When the task was queued (ISO 8601 UTC).' }),
    startedAt: timestamp.nullable().meta({ description: 'When its last attempt started; createdAt ≤ startedAt.' }),
    completedAt: timestamp.nullable().meta({ description: 'When it reached a final state; startedAt ≤ completedAt.' }),
    error: attemptErrorSchema.nullable().meta({ description: 'The error that ended a failed or cancelled task.' }),
    retryCount: z.int().min(0).meta({ description: 'Attempts after the first.' }),
    attempts: z.array(attemptErrorSchema).meta({ description: 'The error of every failed attempt, oldest first.' }),
    priority: z.enum(TASK_PRIORITIES).meta({ description: 'Queue priority.' }),
    type: z.enum([...IMAGE_TYPES, 'zip']).meta({ description: 'Image format asked for; for an export, its format (`pdf` or `zip`).' }),
    width: z.int().meta({ description: 'Width in CSS pixels.' }),
    height: z.int().meta({ description: 'Height in CSS pixels.' }),
    devicePixelRatio: z.number().meta({ description: 'The image is width × ratio by height × ratio pixels.' }),
    fileName: z.string().nullable().meta({ description: 'File name of the stored image.', examples: [`${EXAMPLE_TASK_ID}.png`] }),
    contentType: z.string().nullable().meta({ description: 'Media type of the stored image.', examples: ['image/png'] }),
    bytes: z.int().nullable().meta({ description: 'Size of the stored image in bytes.' }),
    durationMs: z.number().nullable().meta({ description: 'From the start of the last attempt to the final state, in milliseconds.' }),
    fingerprint: z.string().nullable().meta({
      description: 'Render fingerprint hash (Chromium, ECharts, fonts, flags, template) of the page that drew the image.',
      examples: ['3f9a0c1b2d4e5f60'],
    }),
    cached: z.boolean().meta({ description: 'True when the image is a stored copy of an identical earlier request (RESULT_CACHE).' }),
    idempotencyKey: z.string().nullable().meta({ description: 'The key the task was submitted with.' }),
    workerId: z.string().nullable().meta({ description: 'The worker (`host:pid`) that holds or held the task.' }),
    missingGlyphs: z
      .array(
        z.object({
          char: z.string().meta({ description: 'The character.' }),
          codePoint: z.string().meta({ description: 'Its code point, `U+1C65`.' }),
          text: z.string().meta({ description: 'The first text of the chart that holds it.' }),
        }),
      )
      .meta({ description: 'Characters of the chart\'s text that no font of the page drew (empty boxes in the image); empty when all were drawn.' }),
  })
  .meta({ id: 'TaskView', description: 'A task as clients see it.' });

true satisfies Describes<typeof taskViewSchema, TaskView>;

/** A task as `generate` and `batch` answer it. */
export const submittedTaskSchema = taskViewSchema
  .extend({
    existing: z.boolean().meta({
      description: 'True when an earlier task with the same idempotency key was returned instead of queueing a new one.',
    }),
  })
  .meta({ id: 'SubmittedTask', description: 'A task just queued, or the earlier one with the same idempotency key.' });

/** A page of `GET /api/charts/tasks`. */
export const taskPageSchema = z
  .object({
    tasks: z.array(taskViewSchema).meta({ description: 'Newest first.' }),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last one.' }),
  })
  .meta({ id: 'TaskPage', description: 'One page of tasks.' });

/** The answer of `POST /api/charts/batch`. */
export const batchResultSchema = z
  .object({ tasks: z.array(submittedTaskSchema).meta({ description: 'One task per chart, in the order of `charts`.' }) })
  .meta({ id: 'BatchResult', description: 'The tasks of a batch.' });

/** The example task the operations show. */
export const EXAMPLE_TASK: TaskView = {
  taskId: EXAMPLE_TASK_ID,
  status: 'completed',
  statusUrl: `/api/charts/status/${EXAMPLE_TASK_ID}`,
  imageUrl: `/api/images/${EXAMPLE_TASK_ID}`,
  createdAt: '2024-05-01T08:30:00.000Z',
  startedAt: '2024-05-01T08:30:00.012Z',
  completedAt: '2024-05-01T08:30:00.131Z',
  error: null,
  retryCount: 0,
  attempts: [],
  priority: 'normal',
  type: 'png',
  width: 600,
  height: 400,
  devicePixelRatio: 1,
  fileName: `${EXAMPLE_TASK_ID}.png`,
  contentType: 'image/png',
  bytes: 18234,
  durationMs: 119,
  fingerprint: '3f9a0c1b2d4e5f60',
  cached: false,
  idempotencyKey: null,
  workerId: 'render-host-1:4242',
  missingGlyphs: [],
};

/** The same task just queued. */
export const EXAMPLE_PENDING_TASK: TaskView = {
  ...EXAMPLE_TASK,
  status: 'pending',
  imageUrl: null,
  startedAt: null,
  completedAt: null,
  fileName: null,
  contentType: null,
  bytes: null,
  durationMs: null,
  fingerprint: null,
  workerId: null,
};
