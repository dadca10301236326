/** The farm's renderer pool at the production settings (configWith()), in the pool shape asked for. */
import { rendererOptions } from '../../farm/renderer-options.js';
import { configWith } from '../../config/load-config.js';
import { shapedConfig, type PoolShape } from '../../measure/pool-shape-target.js';
import { ChartRenderer } from '../../renderer/chart-renderer.js';
import { silentLogger } from '../../renderer/render-logger.js';

export function startFarmRenderer(executablePath: string, shape: PoolShape): Promise<ChartRenderer> {
  return ChartRenderer.start(rendererOptions(shapedConfig(configWith({ chromiumPath: executablePath }), shape), silentLogger));
}
