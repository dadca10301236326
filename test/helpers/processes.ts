/** Chromium's processes, read from /proc, so tests can kill a real renderer or browser. */
import { readFileSync } from 'node:fs';
import { processTree } from '../../renderer/process-tree.js';

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Renderer processes started by the browser with this pid (through its zygote). */
export function rendererPids(browserPid: number): number[] {
  return processTree(browserPid).filter((pid) => commandLine(pid).includes('--type=renderer'));
}
