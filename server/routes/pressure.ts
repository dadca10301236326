/**
 * `GET /pressure`: whether this instance can take work now. JSON: the reading in the envelope (200),
 * or a 503 error envelope whose reason says why and whose details hold the reading. With
 * `Accept: text/plain`: one line and the status alone, for load balancers' health checks.
 */
import type { FarmRouter } from '../app-deps.js';
import { OVERLOADED_RETRY_AFTER_SECONDS, PressureGauge } from '../admission-pressure.js';
import { sendData } from '../envelope.js';

export function addPressureRoute(router: FarmRouter, gauge: Pick<PressureGauge, 'read'>): void {
  router.get('/pressure', async (ctx) => {
    const reading = await gauge.read();
    ctx.set('cache-control', 'no-store');
    if (ctx.accepts('application/json', 'text/plain') === 'text/plain') {
      ctx.status = reading.accepting ? 200 : 503;
      if (!reading.accepting) ctx.set('retry-after', String(OVERLOADED_RETRY_AFTER_SECONDS));
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `${reading.accepting ? 'ok' : `overloaded: ${reading.reason}`}\n`;
      return;
    }
    if (!reading.accepting) throw PressureGauge.refusalError(reading);
    sendData(ctx, reading, { msg: 'accepting' });
  });
}
