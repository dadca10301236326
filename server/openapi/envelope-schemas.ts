/**
 * The envelope of every JSON answer (server/envelope.ts) as zod schemas: one success envelope per
 * kind of `data`, and the error envelope whose `reason` lists every reason of errors/farm-error.ts.
 */
import { z } from 'zod';
import { ERROR_REASON_DOCS, ERROR_REASONS, ERROR_TYPE_DOCS, ERROR_TYPES } from '../../errors/error-reasons.js';

/** A success envelope around `data`, registered as component `<id>`. */
export function envelopeOf<Data extends z.ZodType>(id: string, data: Data, description: string) {
  return z
    .object({
      code: z.int().min(200).max(299).meta({ description: 'Equals the HTTP status.', examples: [200] }),
      msg: z.string().meta({ description: 'A short word on the outcome.', examples: ['ok'] }),
      data,
    })
    .meta({ id, description });
}

function reasonTable(): string {
  const rows = Object.entries(ERROR_REASON_DOCS).map(
    ([reason, doc]) => `| \`${reason}\` | ${doc.type} | ${doc.seenIn === 'task' ? `(task only)` : doc.status} | ${doc.meaning} |`,
  );
  return ['| reason | type | status | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function typeList(): string {
  return Object.entries(ERROR_TYPE_DOCS)
    .map(([type, meaning]) => `\`${type}\`: ${meaning}`)
    .join('; ');
}

/** Every error answer of the farm. */
export const errorEnvelopeSchema = z
  .object({
    code: z.int().min(400).max(599).meta({ description: 'Equals the HTTP status.', examples: [400] }),
    msg: z.string().meta({ description: 'What went wrong, for people; never a stack trace.' }),
    data: z.null(),
    error: z
      .object({
        type: z.enum(ERROR_TYPES).meta({ description: `Error family. ${typeList()}.` }),
        reason: z.enum(ERROR_REASONS).meta({ description: 'Stable machine code to branch on (table above).' }),
        details: z.record(z.string(), z.unknown()).meta({
          description: 'Facts about the failure: `field`, `issues` (one `{field, problem}` per bad field), `retryAfterSeconds`, `requestId`, …',
        }),
      })
      .meta({ description: 'Machine-readable side of the failure.' }),
  })
  .meta({
    id: 'ErrorEnvelope',
    description: `Every error answer. The HTTP status equals \`code\`. Reasons:\n\n${reasonTable()}`,
  });
