/** Placeholder until the SVG id scheme is examined. */
export function normalizeSvg(svg: string): string {
  return svg;
}
