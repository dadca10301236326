import type { Config } from '../config/settings.js';
import { ChartRenderer } from '../renderer/chart-renderer.js';
import { silentLogger } from '../renderer/render-logger.js';
import { rendererOptions } from '../farm/renderer-options.js';

/**
 * The renderer of a one-shot command (render, golden, parity): one browser with one page, since
 * its charts are drawn one after another, and no logs on stdout, which carries the command's output.
 */
export function startCommandRenderer(config: Config, allowFunctions: boolean): Promise<ChartRenderer> {
  return ChartRenderer.start({
    ...rendererOptions({ ...config, allowFunctions }, silentLogger),
    browsers: 1,
    pagesPerBrowser: 1,
  });
}
