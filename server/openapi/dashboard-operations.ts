/** The dashboard page, its files, the throughput history it draws, and the playground's files. */
import { z } from 'zod';
import { DASHBOARD_FILES } from '../dashboard-page.js';
import { PLAYGROUND_FILES } from '../playground-page.js';
import type { Throughput } from '../../ops/throughput-history.js';
import type { Describes } from './describes.js';
import { envelopeOf } from './envelope-schemas.js';
import { ok, operation, type OperationDoc } from './operation-builder.js';
import { jsonAnswer } from './responses.js';

const bucketSchema = z.object({
  startedAt: z.iso.datetime().meta({ description: 'When the bucket began; the oldest one begins when this instance began sampling.' }),
  finished: z.int().min(0).meta({ description: 'Tasks that reached a final state in it (completed, failed or cancelled), on every worker of the queue.' }),
  failed: z.int().min(0).meta({ description: 'How many more failed tasks the queue held at its end than at its start.' }),
});

/** `GET /api/system/throughput`. */
export const throughputSchema = z
  .object({
    bucketSeconds: z.number().positive().meta({ description: 'Length of a bucket.' }),
    buckets: z.array(bucketSchema).meta({ description: 'Oldest first, 10 minutes at most; the last one is the bucket under way, counted up to now.' }),
  })
  .meta({ id: 'Throughput', description: 'Tasks finished per bucket over the last minutes, from samples of the queue counts.' });
true satisfies Describes<typeof throughputSchema, Throughput>;

const throughputEnvelope = envelopeOf('ThroughputEnvelope', throughputSchema, 'Tasks finished per bucket.');

const EXAMPLE_BUCKETS = [
  { startedAt: '2024-05-01T08:29:40.000Z', finished: 42, failed: 1 },
  { startedAt: '2024-05-01T08:29:50.000Z', finished: 17, failed: 0 },
];

export const dashboardOperations: OperationDoc[] = [
  operation('get', '/api/system/throughput', {
    operationId: 'getThroughput',
    tag: 'system',
    summary: 'Tasks finished per 10-second bucket over the last 10 minutes (the dashboard draws it)',
    responses: { 200: jsonAnswer('The history.', throughputEnvelope, ok({ bucketSeconds: 10, buckets: EXAMPLE_BUCKETS })) },
    errors: ['FORBIDDEN'],
  }),
  ...[...DASHBOARD_FILES, ...PLAYGROUND_FILES].map(({ path, contentType, operationId, summary }) =>
    operation('get', path, {
      operationId,
      tag: 'docs',
      summary,
      responses: { 200: { description: 'The file.', content: { [contentType.split(';')[0]!]: { schema: { type: 'string' } } } } },
      errors: [],
    }),
  ),
];
