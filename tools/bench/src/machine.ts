import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

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
