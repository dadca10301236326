/**
 * `GET /dashboard` (the live page and its files) and `GET /api/system/throughput` (tasks finished
 * per bucket over the last minutes), the one figure the page needs that no other route answers.
 */
import type { AppDeps, FarmRouter } from '../app-deps.js';
import { DASHBOARD_CONTENT_SECURITY_POLICY, DASHBOARD_FILES } from '../dashboard-page.js';
import { requireAdmin } from '../auth/scopes.js';
import { sendData } from '../envelope.js';
import { ThroughputHistory } from '../../ops/throughput-history.js';
import { addPageFileRoutes } from './page-files.js';

/** Adds the dashboard page, its files and, with a task system, the throughput route to `router`. */
export function addDashboardRoutes(router: FarmRouter, deps: AppDeps): void {
  addPageFileRoutes(router, DASHBOARD_FILES, DASHBOARD_CONTENT_SECURITY_POLICY);

  if (!deps.tasks) return;
  // Without a started history from the composition root, one that samples when asked.
  const throughput = deps.throughput ?? new ThroughputHistory(deps.tasks.queue);
  router.get('/api/system/throughput', async (ctx) => {
    requireAdmin(ctx);
    sendData(ctx, await throughput.snapshot());
  });
}
