#!/usr/bin/env node
/** The `echarts-farm` binary: reads the settings and starts the role named on the command line. */
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../config/load-config.js';
import { isFarmError } from '../errors/farm-error.js';
import { readPackageInfo } from '../server/package-info.js';
import { describeFlagError, FARM_USAGE, usageOf } from './command-usage.js';

const HELP_FLAGS = new Set(['--help', '-h']);
const VERSION_FLAGS = new Set(['--version', '-v', 'version']);

/** Answers help and version requests; undefined when the command line asks for neither. */
function helpOrVersion(command: string | undefined, args: string[]): { text: string; code: number } | undefined {
  if (command === undefined) return { text: FARM_USAGE, code: 2 };
  if (VERSION_FLAGS.has(command)) return { text: `${readPackageInfo().name} ${readPackageInfo().version}`, code: 0 };
  if (command === 'help' || HELP_FLAGS.has(command)) {
    const topic = args[0];
    if (topic === undefined) return { text: FARM_USAGE, code: 0 };
    const usage = usageOf(topic);
    return usage ? { text: usage, code: 0 } : { text: `echarts-farm help: unknown command "${topic}"\n${FARM_USAGE}`, code: 2 };
  }
  const usage = usageOf(command);
  if (usage && args.some((arg) => HELP_FLAGS.has(arg))) return { text: usage, code: 0 };
  return undefined;
}

async function runCommand(command: string, args: string[]): Promise<number> {
  const config = loadConfig();
  switch (command) {
    // Each role loads only what it uses: `render` never loads the HTTP server.
    case 'serve':
    case 'api':
    case 'worker':
      parseArgs({ args, options: {} });
      // Redis answers, or the role ends here: before the farm's modules load and Chromium launches.
      await (await import('./service-checks.js')).checkServicesReachable(config);
      await (await import('./farm-process.js')).runFarmProcess(config, command as 'serve' | 'api' | 'worker');
      return 0;
    case 'tasks':
      await (await import('./service-checks.js')).checkServicesReachable(config);
      return (await import('./tasks-command.js')).tasksCommand(args, config);
    case 'render':
      return (await import('./render-command.js')).renderCommand(args, config);
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
      process.stderr.write(`echarts-farm: unknown command "${command}"\n${FARM_USAGE}\n`);
      return 2;
  }
}

function isFlagError(error: unknown): error is Error & { code: string } {
  return String((error as NodeJS.ErrnoException | undefined)?.code ?? '').startsWith('ERR_PARSE_ARGS');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const answer = helpOrVersion(command, args);
  if (answer) {
    (answer.code === 0 || command === undefined ? process.stdout : process.stderr).write(`${answer.text}\n`);
    return answer.code;
  }
  try {
    return await runCommand(command as string, args);
  } catch (error) {
    if (!isFlagError(error)) throw error;
    process.stderr.write(`${describeFlagError(command as string, error)}\n`);
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
