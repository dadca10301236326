/** `echarts-farm serve`: the HTTP API with its renderer in one process (the embedded default). */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { Config } from '../config/settings.js';
import { ChartRenderer } from '../renderer/chart-renderer.js';
import { createApp } from '../server/create-app.js';
import { createLogger } from './create-logger.js';
import { rendererOptions } from './renderer-options.js';

const SHUTDOWN_GRACE_MS = 30_000;

export async function serveCommand(config: Config): Promise<void> {
  const logger = createLogger(config);
  const renderer = await ChartRenderer.start(rendererOptions(config, logger.child({ room: 'renderer' })));
  const app = createApp({ renderer, config, logger });
  const server: Server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, host: config.host, fingerprint: renderer.fingerprint.hash }, `echarts-farm listening on http://${config.host}:${port}`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const forced = setTimeout(() => {
      logger.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    server.close();
    server.closeIdleConnections();
    await once(server, 'close');
    await renderer.close();
    clearTimeout(forced);
    logger.info({}, 'stopped');
    logger.flush();
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}
