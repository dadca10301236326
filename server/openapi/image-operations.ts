/** The image operations: the image of a completed task, and where it can be fetched from. */
import { z } from 'zod';
import * as envelopes from './answer-envelopes.js';
import { ok, operation, taskIdParameters, type OperationDoc } from './operation-builder.js';
import { emptyAnswer, imageAnswer, jsonAnswer, parametersOf } from './responses.js';

/** Operations on the images of tasks. */
export const imageOperations: OperationDoc[] = [
  operation('get', '/api/images/{taskId}', {
    operationId: 'getImage',
    tag: 'images',
    summary: 'The image of a completed task, streamed through the farm',
    parameters: [
      ...taskIdParameters,
      ...parametersOf(
        z.object({
          Range: z.string().optional().meta({ description: 'One byte range: `bytes=a-b`, `bytes=a-` or `bytes=-n`.', examples: ['bytes=0-1023'] }),
          'If-None-Match': z.string().optional().meta({ description: 'The ETag of a copy the client holds: 304 when unchanged.' }),
        }),
        'header',
      ),
      ...parametersOf(
        z.object({
          redirect: z.enum(['true', 'false', '1', '0']).optional().meta({
            description: '`true`: answer 302 to the URL of GET /api/images/{taskId}/url (public, signed, or this route) instead of the bytes.',
          }),
        }),
        'query',
      ),
    ],
    responses: {
      200: imageAnswer('The image.', ['ETag', 'Accept-Ranges']),
      206: imageAnswer('The asked byte range of the image.', ['ETag', 'Accept-Ranges', 'Content-Range']),
      302: emptyAnswer('With `redirect=true`: the image is at `Location`.', ['Location']),
      304: emptyAnswer('The copy the client holds is current.', ['ETag']),
    },
    errors: ['NOT_FOUND', 'RANGE_NOT_SATISFIABLE', 'STORAGE_UNAVAILABLE'],
  }),
  operation('get', '/api/images/{taskId}/url', {
    operationId: 'getImageUrl',
    tag: 'images',
    summary: 'Where the image of a completed task can be fetched: public, signed (cached, refreshed before expiry) or the farm',
    parameters: taskIdParameters,
    responses: {
      200: jsonAnswer('The URL, with its expiry for a signed one.', envelopes.imageLinkEnvelope, ok({ url: '/api/images/7d1c3f0e-4b8a-4c55-9a1e-2f6b3c9d8e10', expiresAt: null })),
    },
    errors: ['NOT_FOUND'],
  }),
];
