/** Memory of a browser and every process it started (zygotes, renderers, GPU, network), from /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';

export interface TreeMemory {
  processes: number;
  /** Sum of VmRSS: pages shared between the processes are counted once per process. */
  rssBytes: number;
  /** Sum of Pss (shared pages split between their users): what the tree really costs the host. */
  pssBytes: number;
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // the process ended while we looked
  }
}

/** The pid and all its descendants (Chromium's renderers hang below a zygote, not the browser). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const parent = parentOf(Number(name));
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const tree = [rootPid];
  for (let index = 0; index < tree.length; index += 1) tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

/** A `Name:   123 kB` field of a /proc file, in bytes; 0 when the file or the field is gone. */
function kilobyteField(path: string, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Pss of one process alone (not its children), in bytes; 0 when it is gone. */
export function processPssBytes(pid: number): number {
  return kilobyteField(`/proc/${pid}/smaps_rollup`, 'Pss');
}

export function treeMemory(rootPid: number): TreeMemory {
  const pids = processTree(rootPid);
  return {
    processes: pids.length,
    rssBytes: pids.reduce((total, pid) => total + kilobyteField(`/proc/${pid}/status`, 'VmRSS'), 0),
    pssBytes: pids.reduce((total, pid) => total + kilobyteField(`/proc/${pid}/smaps_rollup`, 'Pss'), 0),
  };
}
