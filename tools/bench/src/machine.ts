import { cpus, loadavg, release, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

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

/** Waits (up to `maxWaitS`) until the 1-minute load average is below `maxLoad`; tells whether it got there. */
export async function waitForQuiet(maxLoad: number, maxWaitS: number, log: (line: string) => void): Promise<boolean> {
  const deadline = Date.now() + maxWaitS * 1000;
  for (;;) {
    const [one = 0] = loadavg();
    if (one < maxLoad) return true;
    if (Date.now() >= deadline) {
      log(`load average ${one.toFixed(2)} is still >= ${maxLoad}; running anyway (reported)`);
      return false;
    }
    log(`load average ${one.toFixed(2)} >= ${maxLoad}: waiting for a quieter machine`);
    await sleep(10_000);
  }
}
