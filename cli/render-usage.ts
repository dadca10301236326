export const RENDER_USAGE = `usage: echarts-farm render [option.json | option.js | -] -o chart.png
  [--type png|jpeg|webp|svg|pdf] [--width 600] [--height 400] [--dpr 1] [--theme name]
  [--background color|transparent] [--quality 90] [--renderer canvas|svg] [--script] [--allow-functions]
The option comes from the file, or from stdin when the file is - or missing. A .js file (or --script)
is JavaScript declaring \`var option\`, accepted only with --allow-functions or ALLOW_FUNCTIONS=true.
The type follows the extension of -o unless --type is given; -o - writes to stdout.`;
