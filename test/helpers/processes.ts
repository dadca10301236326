/** Chromium's processes, read from /proc, so tests can kill a real renderer or browser. */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessInfo {
  pid: number;
  parent: number;
  commandLine: string;
}

function processes(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const commandLine = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return [{ pid: Number(name), parent, commandLine }];
      } catch {
        return [];
      }
    });
}

/** Renderer processes started by the browser with this pid (through its zygote). */
export function rendererPids(browserPid: number): number[] {
  const all = processes();
  const descendants = new Set([browserPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const info of all) {
      if (descendants.has(info.parent) && !descendants.has(info.pid)) {
        descendants.add(info.pid);
        grew = true;
      }
    }
  }
  return all.filter((info) => descendants.has(info.pid) && info.commandLine.includes('--type=renderer')).map((info) => info.pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
