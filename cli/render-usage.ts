export const RENDER_USAGE = `usage: echarts-farm render [input.json | option.js | -] -o chart.png
  [--type png|jpeg|webp|svg|pdf] [--width 600] [--height 400] [--dpr 1] [--theme name]
  [--background color|transparent] [--quality 90] [--renderer canvas|svg|ssr] [--seed n]
  [--frozen-time 2024-01-15T12:00:00Z] [--script] [--allow-functions]
The input comes from the file, or from stdin when the file is - or missing. It is either
  - a request body, as for POST /api/charts/generate: a JSON object with an "option" field
    ({"type": "png", "width": 600, "height": 400, "option": {...}}); flags win over its fields, or
  - the ECharts option itself: any other JSON object ({"xAxis": ..., "series": [...]}).
A .js file (or --script) is JavaScript declaring \`var option\`, run only with --allow-functions or
ALLOW_FUNCTIONS=true.
The type follows the extension of -o (.png .jpg .jpeg .webp .svg .pdf) and must agree with --type
and the body's "type"; -o - (or no -o) writes to stdout, which refuses binary types on a terminal.
An option with nothing to draw (none of series, title, graphic, axes, ...), or a PNG that came out
of one colour only, stops with exit code 2 or 1 instead of writing an empty image.
--renderer ssr draws ECharts' server-side SVG in Node, without the browser (type svg, JSON only).
--seed seeds Math.random (default 42); --frozen-time freezes what Date reads (default: the real clock).
examples:
  echarts-farm render option.json -o chart.png --width 800 --height 500
  echarts-farm render request.json -o chart.svg
  curl -s https://example.com/option.json | echarts-farm render - --type svg > chart.svg
  echarts-farm render dashboard.js -o chart.pdf --allow-functions --theme dark`;
