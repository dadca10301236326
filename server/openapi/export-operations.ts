/** The export operation: many charts in one PDF or ZIP. */
import { z } from 'zod';
import { exportLayoutSchema, exportFieldsSchema } from '../../reports/export-job.js';
import { exportExtrasSchema } from '../export-requests.js';
import { envelopeOf } from './envelope-schemas.js';
import { jsonBody, ok, operation, type OperationDoc } from './operation-builder.js';
import { GENERATE_EXAMPLES, generateQueryDocs, withFieldDocs } from './request-schemas.js';
import { jsonAnswer, parametersOf, responseHeaders } from './responses.js';
import { EXAMPLE_PENDING_TASK, submittedTaskSchema } from './task-schemas.js';

const exportRequestSchema = exportFieldsSchema
  .extend({
    charts: z.array(z.looseObject({ title: z.string().optional() })).min(1).meta({
      description: 'Render requests as for generate (same fields and limits), each with an optional `title`; at most BATCH_MAX_CHARTS.',
    }),
    format: exportFieldsSchema.shape.format.meta({ description: '`pdf`: one report, a page per chart or a grid; `zip`: an image per chart and manifest.json.' }),
    layout: exportLayoutSchema.optional().meta({ description: 'PDF only: `columns × rows` charts per page; 1 × 1 gives each chart a page of its own size.' }),
    partial: z.boolean().optional().meta({ description: 'True: a failed chart is reported in the file (manifest, a box in the PDF) instead of failing the export.' }),
  })
  .extend(
    withFieldDocs(exportExtrasSchema, {
      async: { description: '`false` renders the export in the request and answers the file; the default queues one task. The query parameter wins.' },
      ossPath: { description: 'Folder of the stored report below the storage prefix (task mode), as for generate.' },
      priority: { description: 'Queue priority of the export task. Default `normal`.' },
      idempotencyKey: { description: 'A repeated key answers the first export task instead of queueing another.' },
      callbackUrl: { description: 'Called when the export task ends, as for generate.' },
    }).shape,
  )
  .meta({ id: 'ExportRequest', description: 'Many charts in one PDF or ZIP.' });

const submittedExportEnvelope = envelopeOf(
  'SubmittedExportEnvelope',
  submittedTaskSchema.extend({ charts: z.int().min(1).meta({ description: 'Charts in the export.' }) }).meta({ id: 'SubmittedExport' }),
  'An export queued as one task (202).',
);

const chartOption = GENERATE_EXAMPLES.queued.value.option;

export const exportOperations: OperationDoc[] = [
  operation('post', '/api/charts/export', {
    operationId: 'exportCharts',
    tag: 'charts',
    summary: 'Many charts in one file: a PDF report or a ZIP with manifest.json',
    description:
      'Every chart is validated first (an error names `charts[i]`). Queued as one task by default; its image is the report. With ' +
      '`async=false` the charts are rendered in the request and the answer is the file. The ZIP holds an image per chart and ' +
      '`manifest.json` (each chart\'s status, size, fingerprint and error).',
    parameters: parametersOf(generateQueryDocs.pick({ async: true }), 'query'),
    requestBody: jsonBody(exportRequestSchema, {
      pdf: { summary: 'Two charts, one page each', value: { format: 'pdf', charts: [{ option: chartOption, title: 'Sales' }, { option: chartOption, width: 800 }] } },
      grid: {
        summary: 'A 2 × 2 grid, failures reported',
        value: { format: 'pdf', layout: { columns: 2, rows: 2 }, partial: true, charts: [{ option: chartOption, title: 'North' }, { option: chartOption, title: 'South' }] },
      },
      zip: { summary: 'A ZIP of PNGs', value: { format: 'zip', charts: [{ option: chartOption }, { option: chartOption, type: 'jpeg' }] } },
    }),
    responses: {
      200: {
        description: 'With `async=false`: the report. `X-Export-Failed` lists the indexes of failed charts (with `partial`).',
        headers: responseHeaders(['X-Render-Fingerprint']),
        content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'application/zip': { schema: { type: 'string', format: 'binary' } } },
      },
      202: jsonAnswer('The export was queued.', submittedExportEnvelope, ok({ ...EXAMPLE_PENDING_TASK, type: 'pdf', charts: 2, existing: false }, 'queued', 202)),
    },
    errors: ['INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'INVALID_REQUEST', 'INVALID_OPTION', 'FUNCTIONS_NOT_ALLOWED', 'UNKNOWN_THEME', 'RENDER_FAILED', 'RENDER_TIMEOUT', 'NOT_IMPLEMENTED', 'QUEUE_FULL', 'SHUTTING_DOWN', 'OVERLOADED'],
  }),
];
