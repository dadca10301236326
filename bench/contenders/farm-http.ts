/**
 * The farm over HTTP, synchronously: `POST /api/charts/generate?async=false` answers the PNG itself
 * (server/routes/charts.ts). The app is the one `echarts-farm serve` builds, at production settings,
 * logging at the production level into /dev/null; the client is node:http with kept-alive
 * connections in this process.
 */
import { Agent, request } from 'node:http';
import type { RenderTarget, TargetRender, WorkloadChart } from '../../measure/render-target.js';
import { configWith } from '../../config/load-config.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import type { RenderFingerprint } from '../../renderer/fingerprint.js';
import { discardingLogger, listen } from '../queue-farms.js';
import { requestBodies } from './chart-request.js';
import { describeShape, type PoolShape } from '../../measure/pool-shape-target.js';
import { startFarmRenderer } from './farm-renderer.js';

/** Enough connections for the sweep's largest concurrency. */
const MAX_CONNECTIONS = 64;

/** POSTs `body` and answers the response's bytes; anything but 200 rejects with the answer's start. */
function postForBytes(agent: Agent, url: string, body: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        if (res.statusCode === 200) resolve(bytes);
        else reject(new Error(`the sync route answered ${res.statusCode}: ${bytes.toString('utf8', 0, 200)}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export class FarmHttpTarget implements RenderTarget {
  readonly id = 'farm-http';
  readonly label: string;
  private readonly bodies = requestBodies();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: MAX_CONNECTIONS });

  /** The farm's render fingerprint (Chromium, ECharts, fonts, flags, template), for the record. */
  get fingerprint(): RenderFingerprint {
    return this.renderer.fingerprint;
  }

  private constructor(
    private readonly renderer: ChartRenderer,
    private readonly server: { url: string; close(): Promise<void> },
    shape: PoolShape,
  ) {
    this.label = `farm over HTTP, sync (pool ${describeShape(shape)})`;
  }

  static async start(executablePath: string, shape: PoolShape): Promise<FarmHttpTarget> {
    const renderer = await startFarmRenderer(executablePath, shape);
    try {
      const server = await listen({ renderer, config: configWith({ chromiumPath: executablePath }), logger: discardingLogger() });
      return new FarmHttpTarget(renderer, server, shape);
    } catch (error) {
      await renderer.close();
      throw error;
    }
  }

  async render(chart: WorkloadChart): Promise<TargetRender> {
    return { bytes: await postForBytes(this.agent, `${this.server.url}/api/charts/generate?async=false`, this.bodies.of(chart)) };
  }

  processIds(): number[] {
    return this.renderer.browserPids();
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.server.close();
    await this.renderer.close();
  }
}
