import type { RenderTarget } from '../../measure/render-target.js';

/** `target` under another id and label, e.g. the engine's `pool-2x2` as the suite's `farm`. */
export function renamed(target: RenderTarget, id: string, label: string): RenderTarget {
  return {
    id,
    label,
    render: (chart) => target.render(chart),
    processIds: () => target.processIds(),
    close: () => target.close(),
  };
}
