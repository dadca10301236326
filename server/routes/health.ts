/** `GET /healthz` (the process answers) and `GET /readyz` (a canary chart renders). */
import { basename } from 'node:path';
import type { FarmRouter } from '../app-deps.js';
import { sendData } from '../envelope.js';
import { checkQueueAnswers, type QueueForReadiness, type Readiness } from '../../ops/readiness-probe.js';

/** Readiness of an API without a renderer: its queue answers. */
export interface QueueReadiness {
  ready: true;
  queue: string;
}

/**
 * Adds the liveness and readiness routes to `router`. With `queue`, liveness also says whether the
 * queue answers (`queue: "ok" | "unavailable"`), but stays 200: restarting the process would not
 * bring Redis back.
 */
export function addHealthRoutes(router: FarmRouter, probe: { check(): Promise<Readiness | QueueReadiness> }, queue?: QueueForReadiness): void {
  // Liveness must not depend on the pool: a busy pool is no reason to restart the process.
  router.get('/healthz', async (ctx) => {
    if (!queue) return sendData(ctx, { status: 'ok' });
    const answers = await checkQueueAnswers(queue).then(
      () => true,
      () => false,
    );
    sendData(ctx, { status: 'ok', queue: answers ? 'ok' : 'unavailable' });
  });
  // Open to anyone: the answer names the canary's golden by its file name, never by its folder.
  router.get('/readyz', async (ctx) => {
    const readiness = await probe.check();
    sendData(ctx, 'canary' in readiness && readiness.canary ? { ...readiness, canary: { ...readiness.canary, golden: basename(readiness.canary.golden) } } : readiness);
  });
}
