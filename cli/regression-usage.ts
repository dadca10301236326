/** Usage texts of the visual regression commands (kept apart so `--help` loads no renderer). */

export const COMPARE_USAGE = `usage: echarts-farm compare expected.png actual.png [--threshold 0] [--diff diff.png]
  [--color-threshold 0] [--ignore-antialiasing] [--json]
Counts the pixels that differ between two PNGs of one size and their share of the image.
  --threshold T          share of pixels (0 to 1, 0.001 = 0.1%) allowed to differ; default 0: none
  --color-threshold C    colour distance (pixelmatch, OKLab, 0 to 1) under which two pixels count as
                         equal; default 0: any change of colour counts
  --ignore-antialiasing  leave out pixels pixelmatch takes for anti-aliasing
  --diff FILE            write the diff image (the expected image faded, differing pixels red)
  --json                 print the figures as JSON
Exit code 0 within the threshold, 1 above it, 2 for bad input (a missing file, no PNG, other sizes).`;

export const GOLDEN_USAGE = `usage: echarts-farm golden check <dir> [--update] [--report golden-report] [--threshold 0]
  [--color-threshold 0] [--ignore-antialiasing] [--allow-functions]
Renders every option file of <dir> (<name>.json; <name>.js only with --allow-functions or
ALLOW_FUNCTIONS=true) and compares it with <name>.png beside it (<name>.svg for type svg). An optional
<name>.render.json beside it sets width, height, type (png or svg), theme, dpr, backgroundColor,
renderer, seed, frozenTime and threshold (the share of pixels this chart may differ by).
  --update        write missing and differing goldens instead of failing
  --report DIR    where result.json, report.html and the images of mismatches go (default golden-report)
  --threshold T, --color-threshold C, --ignore-antialiasing: as for echarts-farm compare
Exit code 0 when every chart matches, 1 on a mismatch, a missing golden or a chart that failed,
2 for bad input.`;

export const PARITY_USAGE = `usage: echarts-farm parity <dir> [--json report.json | --json -]
Renders every <name>.json option of <dir> as SVG twice, in the browser (renderer svg) and with
ECharts' server-side renderer in Node (renderer ssr), and reports per chart whether the two SVGs
agree (ECharts' counters renumbered in both) and where they differ: the first differing element and
attribute, element counts, differing elements and the attributes that differ most. An optional
<name>.render.json sets width, height, theme, seed and frozenTime. JavaScript options are listed as
skipped: the server-side engine never runs them. Prints a table; --json writes the report as JSON
(- for stdout instead of the table). Exit code 0 when the report was made, 2 for bad input.`;
