/** Starting a worker thread from a module beside the caller, compiled or under tsx. */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts `<name>.js` (compiled) or `<name>.ts` (under tsx) from the folder of `callerUrl`
 * (`import.meta.url` of the caller).
 */
export function startModuleWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  const extension = extname(fileURLToPath(callerUrl));
  const url = new URL(`./${name}${extension}`, callerUrl);
  if (extension !== '.ts') return new Worker(url, options);
  // Node 20 does not carry tsx's loader (`--import tsx`) into worker threads: the thread registers it first.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
