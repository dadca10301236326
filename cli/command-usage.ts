/**
 * The usage text of every command, and the one lookup `--help`, `-h`, `help <command>` and an unknown
 * flag all go through. Usage texts load nothing else, so help never starts a browser.
 */
import { COMPARE_USAGE, GOLDEN_USAGE, PARITY_USAGE } from './regression-usage.js';
import { RENDER_USAGE } from './render-usage.js';
import { TUNE_USAGE } from './tune-usage.js';

export const FARM_USAGE = `usage: echarts-farm <command> [flags]
  serve    the HTTP API and a worker in one process (the embedded default)
  api      the HTTP API only (needs REDIS_URL)
  worker   a worker only: takes tasks from Redis and renders them (needs REDIS_URL)
  tasks    tasks retry <taskId> | tasks retry --failed
  render   one chart to a file
  compare  the pixels two PNGs differ by, with a diff image
  golden   golden check <dir>: render a folder of charts and compare with their PNGs
  parity   parity <dir>: browser SVG against ECharts' server-side SVG, chart by chart
  tune     measure this host and recommend the pool settings
  config   print the effective settings (--markdown: the configuration docs)
echarts-farm help <command> (or <command> --help) explains one command; --version prints the version.
Settings come from environment variables: echarts-farm config lists them.`;

const ROLE_SETTINGS = `Settings come from environment variables (PORT, STORAGE, POOL_BROWSERS, ...): see
echarts-farm config, or docs/configuration.md. Stops with SIGTERM or Ctrl-C after the running renders.`;

export const SERVE_USAGE = `usage: echarts-farm serve
The HTTP API and a worker in one process: a memory queue, or Redis when REDIS_URL is set.
${ROLE_SETTINGS}
examples:
  echarts-farm serve
  PORT=8080 POOL_BROWSERS=2 echarts-farm serve`;

export const API_USAGE = `usage: echarts-farm api
The HTTP API only: it queues tasks in Redis (REDIS_URL, required) for workers on any host.
${ROLE_SETTINGS}
example:
  REDIS_URL=redis://127.0.0.1:6379 echarts-farm api`;

export const WORKER_USAGE = `usage: echarts-farm worker
A worker only: takes tasks from Redis (REDIS_URL, required), renders them and stores the images.
${ROLE_SETTINGS}
example:
  REDIS_URL=redis://127.0.0.1:6379 POOL_BROWSERS=2 echarts-farm worker`;

export const TASKS_USAGE = `usage: echarts-farm tasks retry <taskId> [<taskId> ...] | echarts-farm tasks retry --failed
Queues failed tasks again in the shared Redis queue (REDIS_URL), their attempts kept.
examples:
  REDIS_URL=redis://127.0.0.1:6379 echarts-farm tasks retry 5f0c6d2e-...
  REDIS_URL=redis://127.0.0.1:6379 echarts-farm tasks retry --failed`;

export const CONFIG_USAGE = `usage: echarts-farm config [--markdown]
Prints every setting with its effective value (from the environment, or the default); a bad value
stops with the variable's name and what it accepts. --markdown prints the configuration docs.
examples:
  echarts-farm config
  POOL_BROWSERS=3 echarts-farm config | grep POOL_`;

const USAGES: Readonly<Record<string, string>> = {
  serve: SERVE_USAGE,
  api: API_USAGE,
  worker: WORKER_USAGE,
  tasks: TASKS_USAGE,
  render: RENDER_USAGE,
  compare: COMPARE_USAGE,
  golden: GOLDEN_USAGE,
  parity: PARITY_USAGE,
  tune: TUNE_USAGE,
  config: CONFIG_USAGE,
};

/** The usage of `command`, undefined for a command that does not exist. */
export function usageOf(command: string): string | undefined {
  return Object.hasOwn(USAGES, command) ? USAGES[command] : undefined;
}

/** Node's parseArgs errors, in the words of the command line: which flag, and the command's usage. */
export function describeFlagError(command: string, error: Error & { code?: string }): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const flag = /--?[\w-]+(?=[^,]*$)/.exec(quoted.replace(/ <value>$/, ''))?.[0] ?? quoted;
  const problems: Record<string, string> = {
    ERR_PARSE_ARGS_UNKNOWN_OPTION: `unknown flag ${flag}`,
    ERR_PARSE_ARGS_INVALID_OPTION_VALUE: error.message.endsWith('argument missing') ? `${flag} takes a value` : `${flag} takes no value`,
    ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL: `unexpected argument "${quoted}"`,
  };
  return `echarts-farm ${command}: ${problems[error.code ?? ''] ?? error.message}\n${usageOf(command) ?? FARM_USAGE}`;
}
