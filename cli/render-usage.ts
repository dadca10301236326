export const RENDER_USAGE = `usage: echarts-farm render [option.json | option.js | -] -o chart.png
  [--type png|jpeg|webp|svg|pdf] [--width 600] [--height 400] [--dpr 1] [--theme name]
  [--background color|transparent] [--quality 90] [--renderer canvas|svg|ssr] [--seed n]
  [--frozen-time 2024-01-15T12:00:00Z] [--script] [--allow-functions]
The option comes from the file, or from stdin when the file is - or missing. A .js file (or --script)
is JavaScript declaring \`var option\`, accepted only with --allow-functions or ALLOW_FUNCTIONS=true.
The type follows the extension of -o unless --type is given; -o - writes to stdout.
--renderer ssr draws ECharts' server-side SVG in Node, without the browser (type svg, JSON only).
--seed seeds Math.random (default 42); --frozen-time freezes what Date reads (default: the real clock).`;
