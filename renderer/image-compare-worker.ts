/** The worker thread of `compareImagesOffThread`: one comparison, answered once. */
import { parentPort, workerData } from 'node:worker_threads';
import { compareReply, type CompareOptions } from './image-compare.js';

const job = workerData as { expected: Uint8Array; actual: Uint8Array; options: CompareOptions };
parentPort!.postMessage(compareReply(Buffer.from(job.expected), Buffer.from(job.actual), job.options));
