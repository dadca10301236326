/**
 * The inputs of the task routes besides the generate body, declared once with zod: the routes
 * validate with them and the OpenAPI document is generated from them (server/openapi/).
 */
import { z } from 'zod';
import { TASK_STATUSES } from '../tasks/task.js';

/** The query of `GET /api/charts/tasks`. */
export const listQuerySchema = z.object({
  status: z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(', ')}` }).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(200).default(50),
});

/**
 * The body of `POST /api/charts/batch`. Each chart is checked later as a generate body, one by one,
 * so an error names the index of the chart it is about.
 */
export const batchBodySchema = z.object({ charts: z.array(z.unknown()).min(1, 'must hold at least one chart') });
