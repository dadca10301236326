/**
 * CPU time and memory of the Node process and of a target's process trees (Linux /proc), so a
 * measurement can say what a render costs the host, not only how long it took.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { processPssBytes, processTree, treeMemory } from '../renderer/process-tree.js';

/** Clock ticks per second of /proc/<pid>/stat's times; 100 on every Linux we know of. */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * utime + stime + cutime + cstime of one process, in seconds; 0 when it is gone. The children's
 * times count too: a renderer that exits during a measurement hands its CPU time to the parent
 * that reaps it, so the tree's total keeps it.
 */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is [0], utime is [11].
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [11, 12, 13, 14].reduce((total, index) => total + Number(fields[index] ?? 0), 0) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds of the trees below `rootPids` (descendants included) plus this Node process's own. */
export function cpuSecondsOf(rootPids: readonly number[]): number {
  const own = process.cpuUsage();
  const trees = rootPids.flatMap((pid) => processTree(pid));
  return (own.user + own.system) / 1e6 + trees.reduce((total, pid) => total + processCpuSeconds(pid), 0);
}

/** PSS of this Node process alone plus the trees below `rootPids`: what the target costs the host in memory. */
export function pssBytesOf(rootPids: readonly number[]): number {
  return processPssBytes(process.pid) + rootPids.reduce((total, pid) => total + treeMemory(pid).pssBytes, 0);
}
