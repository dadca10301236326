/**
 * The OpenAPI 3.1 document of the farm, generated from the zod schemas the routes validate with and
 * the envelopes they answer. Served at GET /api/openapi.json and shown at /docs.
 */
import type { PackageInfo } from '../package-info.js';
import { componentSchemas } from './json-schemas.js';
import { SECURITY_SCHEMES } from './operation-builder.js';
import { OPERATIONS } from './operations.js';
import type { OpenApiObject } from './responses.js';

const DESCRIPTION = `Turns Apache ECharts options into PNG, JPEG, WebP, SVG and PDF images that are pixel for pixel what
Chromium shows for the same option in a plain page.

**Envelope.** Every JSON answer is \`{code, msg, data}\` with the HTTP status equal to \`code\`; errors add
\`error: {type, reason, details}\` (see the ErrorEnvelope schema for every \`reason\`). Timestamps are ISO 8601 UTC.

**Modes.** \`POST /api/charts/generate\` queues a task (202) by default: follow it with \`GET /api/charts/status/{taskId}\`,
the event stream \`GET /api/charts/events/{taskId}\` or a webhook, then fetch \`GET /api/images/{taskId}\`. With \`async=false\`
the image comes back in the answer.

**Retries.** \`503\` and \`429\` answers may carry \`Retry-After\` (seconds): send the same request again after it.`;

const TAGS = [
  { name: 'charts', description: 'Render charts.' },
  { name: 'tasks', description: 'Follow, list and cancel queued charts.' },
  { name: 'images', description: 'The images of completed tasks.' },
  { name: 'system', description: 'Health, readiness, versions, pool, queue and workers.' },
  { name: 'docs', description: 'This document and its page.' },
];

/** Builds the document; `farm` fills in the version. */
export function buildOpenApiDocument(farm: PackageInfo): OpenApiObject {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, operation } of OPERATIONS) paths[path] = { ...paths[path], [method]: operation };
  return {
    openapi: '3.1.0',
    info: {
      title: 'echarts-farm',
      version: farm.version,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: TAGS,
    paths,
    components: { schemas: componentSchemas(), securitySchemes: SECURITY_SCHEMES },
  };
}
