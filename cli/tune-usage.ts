export const TUNE_USAGE = `usage: echarts-farm tune [--seconds 180] [--shapes 1x1,1x2,2x1,...] [--concurrency pages,2xpages]
  [--goal throughput] [--max-p95-ms n] [--max-memory-mib n] [--workload full|light]
  [--slice-seconds 2] [--out tune-report]
Measures this host: renders a fixed workload through each pool shape (POOL_BROWSERS x
POOL_PAGES_PER_BROWSER) at each concurrency, taking turns in short slices, and recommends
POOL_BROWSERS, POOL_PAGES_PER_BROWSER and QUEUE_MAX_CONCURRENT (and POOL_RENDERS_PER_BROWSER for a
shape like 2x2/1): the most renders/s among the rows within the budget (p95 latency, peak memory of
the browsers plus this process).
  --seconds        measured seconds, shared by every (shape, concurrency); start-up and warm-up
                   come on top (the default run takes about 4 minutes on 2 cores)
  --shapes         browsers x pages per browser[/renders at once per browser]; default from the cores
                   (on 2: 1x1,1x2,2x1,3x1,2x2,2x2/1)
  --concurrency    renders in flight: whole numbers, or multiples of the renders a shape runs at once
                   (pages, 2xpages)
  --workload       full: line, bar, pie, 20k scatter, heatmap, CJK bar at pixel ratio 1 and 2;
                   light: line, bar, pie
  --out            folder for tune.md, tune.json and tune.png (the chart, rendered by the farm)
Progress goes to stderr; the table and the recommendation (env lines) to stdout. Exits 3 when no
shape meets the budget. The other settings (CHROMIUM_PATH, RENDER_TIMEOUT_MS, ...) come from the
environment as for serve.`;
