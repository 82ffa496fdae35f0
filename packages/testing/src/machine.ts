import { cpus, loadavg, release, totalmem } from 'node:os';

/** What a benchmark or fault-injection report says about the machine it ran on. */
export interface MachineFacts {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kernel: string;
}

export function machineFacts(): MachineFacts {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    kernel: release(),
  };
}

export function loadAverages(): number[] {
  return loadavg().map((v) => Math.round(v * 100) / 100);
}
