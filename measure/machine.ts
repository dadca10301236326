/** The host a measurement ran on, and how busy it was. */
import { arch, availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  availableParallelism: number;
  memoryBytes: number;
  os: string;
  /** 1-minute load average when the run started and ended: how noisy the host was. */
  loadAverage: { start: number; end: number };
}

export function describeMachine(): Machine {
  const load = loadavg()[0]!;
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    availableParallelism: availableParallelism(),
    memoryBytes: totalmem(),
    os: `${osType()} ${release()} ${arch()}`,
    loadAverage: { start: load, end: load },
  };
}

/** The host and how busy it was, in one line. */
export function machineLine(machine: Machine): string {
  return (
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${(machine.memoryBytes / 1024 ** 3).toFixed(1)} GiB, ${machine.os}; ` +
    `1-min load average ${machine.loadAverage.start.toFixed(2)} at start, ${machine.loadAverage.end.toFixed(2)} at end.`
  );
}
