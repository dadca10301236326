/**
 * The success envelopes of the contract, one per kind of `data`, registered as components so every
 * operation that answers the same data references one schema.
 */
import { z } from 'zod';
import { compareResultSchema } from './compare-schemas.js';
import { envelopeOf } from './envelope-schemas.js';
import {
  healthSchema,
  poolStatsSchema,
  ownerQueueStatusSchema,
  queueStatusSchema,
  readinessSchema,
  renderedDataUrlSchema,
  systemInfoSchema,
  workersSchema,
} from './system-schemas.js';
import { imageLinkSchema, storageStatusSchema } from './storage-schemas.js';
import { batchResultSchema, submittedTaskSchema, taskPageSchema, taskViewSchema } from './task-schemas.js';

export const submittedTaskEnvelope = envelopeOf('SubmittedTaskEnvelope', submittedTaskSchema, 'A task queued (202, `queued`) or the earlier task with the same idempotency key (200, `existing task`).');
export const taskEnvelope = envelopeOf('TaskEnvelope', taskViewSchema, 'A task.');
export const taskPageEnvelope = envelopeOf('TaskPageEnvelope', taskPageSchema, 'A page of tasks.');
export const batchResultEnvelope = envelopeOf('BatchResultEnvelope', batchResultSchema, 'The tasks of a batch (202, `queued`).');
export const renderedDataUrlEnvelope = envelopeOf('RenderedDataUrlEnvelope', renderedDataUrlSchema, 'A synchronous render as a data URL.');
export const healthEnvelope = envelopeOf('HealthEnvelope', healthSchema, 'The process answers.');
export const readinessEnvelope = envelopeOf('ReadinessEnvelope', readinessSchema, 'The farm is ready.');
export const systemInfoEnvelope = envelopeOf('SystemInfoEnvelope', systemInfoSchema, 'Versions and fingerprint.');
export const poolStatsEnvelope = envelopeOf('PoolStatsEnvelope', poolStatsSchema, 'State of the page pool.');
export const queueStatusEnvelope = envelopeOf('QueueStatusEnvelope', z.union([queueStatusSchema, ownerQueueStatusSchema]), 'Queue counts: all of them for the admin scope, the caller\'s own otherwise.');
export const workersEnvelope = envelopeOf('WorkersEnvelope', workersSchema, 'Live workers.');
export const imageLinkEnvelope = envelopeOf('ImageLinkEnvelope', imageLinkSchema, 'Where the image is.');
export const storageStatusEnvelope = envelopeOf('StorageStatusEnvelope', storageStatusSchema, 'The object store.');
export const compareResultEnvelope = envelopeOf('CompareResultEnvelope', compareResultSchema, 'The comparison.');
