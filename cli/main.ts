#!/usr/bin/env node
/** The `echarts-farm` binary: reads the settings and starts the role named on the command line. */
import { loadConfig, ConfigError } from '../config/load-config.js';
import { isFarmError } from '../errors/farm-error.js';
import { RENDER_USAGE } from './render-usage.js';
import { COMPARE_USAGE, GOLDEN_USAGE, PARITY_USAGE } from './regression-usage.js';
import { TUNE_USAGE } from './tune-usage.js';

const USAGE = `usage: echarts-farm <command>
  serve    the HTTP API and a worker in one process (the embedded default)
  api      the HTTP API only (needs REDIS_URL)
  worker   a worker only: takes tasks from Redis and renders them (needs REDIS_URL)
  tasks    tasks retry <taskId> | tasks retry --failed
  render   one chart to a file (echarts-farm render --help)
  compare  the pixels two PNGs differ by, with a diff image (echarts-farm compare --help)
  golden   golden check <dir>: render a folder of charts and compare with their PNGs (--help)
  parity   parity <dir>: browser SVG against ECharts' server-side SVG, chart by chart (--help)
  tune     measure this host and recommend the pool settings (echarts-farm tune --help)
  config   print the effective settings (--markdown: the configuration docs)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (args.includes('--help')) {
    const usages: Record<string, string> = { render: RENDER_USAGE, compare: COMPARE_USAGE, golden: GOLDEN_USAGE, parity: PARITY_USAGE, tune: TUNE_USAGE };
    process.stdout.write(`${usages[command] ?? USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  switch (command) {
    // Each role loads only what it uses: `render` never loads the HTTP server.
    case 'serve':
    case 'api':
    case 'worker':
      // Redis answers, or the role ends here: before the farm's modules load and Chromium launches.
      await (await import('./service-checks.js')).checkServicesReachable(config);
      await (await import('./farm-process.js')).runFarmProcess(config, command as 'serve' | 'api' | 'worker');
      return 0;
    case 'tasks':
      await (await import('./service-checks.js')).checkServicesReachable(config);
      return (await import('./tasks-command.js')).tasksCommand(args, config);
    case 'render':
      await (await import('./render-command.js')).renderCommand(args, config);
      return 0;
    case 'config':
      (await import('./config-command.js')).configCommand(args, config);
      return 0;
    case 'compare':
      return (await import('./compare-command.js')).compareCommand(args);
    case 'golden':
      return (await import('./golden-command.js')).goldenCommand(args, config);
    case 'parity':
      return (await import('./parity-command.js')).parityCommand(args, config);
    case 'tune':
      return (await import('./tune-command.js')).tuneCommand(args, config);
    default:
      process.stderr.write(`echarts-farm: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

function exitCodeOf(error: unknown): number {
  if (error instanceof ConfigError || ['RoleError', 'UnreachableServiceError'].includes((error as Error).name)) return 78;
  if (isFarmError(error)) return error.type === 'VALIDATION_ERROR' ? 2 : 1;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOENT' || code.startsWith('ERR_PARSE_ARGS')) return 2;
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`echarts-farm: ${message}\n`);
    process.exitCode = exitCodeOf(error);
  },
);
