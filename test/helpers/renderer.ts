import { ChartRenderer, type RendererOptions } from '../../renderer/chart-renderer.js';
import { parseRenderRequest, type RenderFields, type RenderRequest } from '../../renderer/render-request.js';

/** A renderer sized for tests: one browser, one page, generous limits unless a test says otherwise. */
export function startTestRenderer(overrides: Partial<RendererOptions> = {}): Promise<ChartRenderer> {
  return ChartRenderer.start({
    browsers: 1,
    pagesPerBrowser: 1,
    maxRendersPerPage: 100_000,
    maxPageHeapMb: 4096,
    acquireTimeoutMs: 60_000,
    renderTimeoutMs: 30_000,
    finishedWaitMs: 5_000,
    singlePass: true,
    canvasExport: true,
    allowFunctions: false,
    ...overrides,
  });
}

export function request(fields: RenderFields, allowFunctions = true): RenderRequest {
  return parseRenderRequest(fields, { allowFunctions });
}

export const LINE_OPTION = {
  xAxis: { type: 'category', data: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] },
  yAxis: { type: 'value' },
  series: [{ type: 'line', data: [150, 230, 224, 218, 135, 147, 260] }],
};

export const BAR_OPTION = {
  title: { text: 'Sales' },
  xAxis: { data: ['A', 'B', 'C', 'D'] },
  yAxis: {},
  series: [{ type: 'bar', data: [5, 20, 36, 10] }],
};
