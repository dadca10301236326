/** `GET /pressure`: whether this instance can take work now. */
import { z } from 'zod';
import type { PressureReading } from '../admission-pressure.js';
import type { Describes } from './describes.js';
import { envelopeOf } from './envelope-schemas.js';
import { ok, operation, type OperationDoc } from './operation-builder.js';
import { jsonAnswer } from './responses.js';

const count = (description: string) => z.int().min(0).nullable().meta({ description });

const pressureSchema = z
  .object({
    accepting: z.boolean().meta({ description: 'True when this instance can take work now.' }),
    reason: z.string().nullable().meta({ description: 'Why not: shutting down, memory below ADMISSION_MIN_FREE_MEMORY_MB, or the queue full.' }),
    pending: count('Tasks waiting in the queue; null without a task system.'),
    running: count('Tasks being rendered; null without a task system.'),
    pages: count('Pages of the pool; null on an API without a renderer.'),
    freePages: count('Pages free now.'),
    waitingForPage: count('Renders waiting for a page.'),
    memory: z
      .object({
        availableMb: z.int().meta({ description: 'MiB available without swapping (MemAvailable, or what the cgroup limit leaves).' }),
        totalMb: z.int().meta({ description: 'MiB of the host, or of the cgroup limit when tighter.' }),
        minFreeMb: z.int().meta({ description: 'ADMISSION_MIN_FREE_MEMORY_MB; 0 when memory never refuses.' }),
        source: z.enum(['host', 'cgroup']).meta({ description: 'Where the figures come from.' }),
      })
      .meta({ description: 'Memory headroom.' }),
    cpu: z
      .object({
        cores: z.int().meta({ description: 'Cores Node may use.' }),
        load1: z.number().meta({ description: 'Load average over one minute.' }),
        headroom: z.number().meta({ description: '1 − load1 / cores, at least 0.' }),
      })
      .meta({ description: 'CPU headroom (informative: it never refuses work).' }),
  })
  .meta({ id: 'Pressure', description: 'Whether this instance can take work now, and the figures behind it.' });

true satisfies Describes<typeof pressureSchema, PressureReading>;

const pressureEnvelope = envelopeOf('PressureEnvelope', pressureSchema, 'The pressure on an instance that accepts work.');

const EXAMPLE_READING: PressureReading = {
  accepting: true,
  reason: null,
  pending: 3,
  running: 2,
  pages: 2,
  freePages: 0,
  waitingForPage: 1,
  memory: { availableMb: 5210, totalMb: 7940, minFreeMb: 512, source: 'host' },
  cpu: { cores: 2, load1: 1.42, headroom: 0.29 },
};

export const pressureOperations: OperationDoc[] = [
  operation('get', '/pressure', {
    operationId: 'getPressure',
    tag: 'system',
    summary: 'Admission: can this instance take work now (200) or not (503)',
    description:
      'Not accepting is a 503 whose reason says why (OVERLOADED: memory below ADMISSION_MIN_FREE_MEMORY_MB; QUEUE_FULL; SHUTTING_DOWN) and whose ' +
      '`details` hold the reading. With `Accept: text/plain` the answer is one line (`ok`, or `overloaded: <reason>`) and the status, for load balancers.',
    responses: {
      200: jsonAnswer('Accepting.', pressureEnvelope, ok(EXAMPLE_READING, 'accepting')),
    },
    errors: ['OVERLOADED', 'QUEUE_FULL', 'SHUTTING_DOWN'],
  }),
];
