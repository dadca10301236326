import type { Config } from '../config/settings.js';
import type { RendererOptions } from '../renderer/chart-renderer.js';
import type { RenderLogger } from '../renderer/render-logger.js';

/** The renderer's slice of the settings. */
export function rendererOptions(config: Config, logger: RenderLogger): RendererOptions {
  return {
    chromiumPath: config.chromiumPath,
    browsers: config.poolBrowsers,
    pagesPerBrowser: config.poolPagesPerBrowser,
    rendersPerBrowser: config.poolRendersPerBrowser,
    maxRendersPerPage: config.poolMaxRendersPerPage,
    maxPageHeapMb: config.poolMaxPageHeapMb,
    acquireTimeoutMs: config.poolAcquireTimeoutMs,
    renderTimeoutMs: config.renderTimeoutMs,
    finishedWaitMs: config.renderFinishedWaitMs,
    singlePass: config.renderSinglePass,
    canvasExport: config.renderCanvasExport,
    strictFonts: config.renderStrictFonts,
    allowFunctions: config.allowFunctions,
    themesDir: config.themesDir,
    mapsDir: config.mapsDir,
    logger,
  };
}
