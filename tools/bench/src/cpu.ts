import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** utime + stime, in clock ticks, from the text of /proc/<pid>/stat. */
export function parseProcessTicks(stat: string): number {
  // the command name (field 2) may contain spaces and parentheses: fields restart after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15
  return Number(fields[11]) + Number(fields[12]);
}

/** Busy and total ticks of all CPUs from the text of /proc/stat. */
export function parseMachineTicks(stat: string): { busy: number; total: number } {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error('no aggregate cpu line in /proc/stat');
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface CpuUsage {
  /** CPU time of each watched group of processes over the interval, in % of one core */
  processes: Record<string, number>;
  /** the whole machine's busy time, in % of all cores */
  machineBusy: number;
  /** busy time of every other process (the registry, Prometheus, other people's work), in % of one core */
  others: number;
}

/** Pids of the running processes whose command line matches (e.g. /kafka\.Kafka/ for the brokers). */
export function pidsMatching(pattern: RegExp): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (pattern.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Label -> the processes counted under it (a pid, several, or none known). */
export type WatchedProcesses = Record<string, number | number[] | undefined>;

/** Measures CPU use of groups of processes and of the machine between start and stop (Linux /proc). */
export class CpuMeter {
  private readonly startTicks = new Map<string, number>();
  private readonly pids: Record<string, number[]>;
  private startMachine = { busy: 0, total: 0 };
  private startedAt = 0;

  constructor(watched: WatchedProcesses) {
    this.pids = Object.fromEntries(Object.entries(watched).map(([label, pids]) => [label, pids === undefined ? [] : ([] as number[]).concat(pids)]));
  }

  start(): this {
    for (const [label, pids] of Object.entries(this.pids)) {
      const ticks = readTicks(pids);
      if (ticks !== undefined) this.startTicks.set(label, ticks);
    }
    this.startMachine = readMachineTicks();
    this.startedAt = performance.now();
    return this;
  }

  stop(): CpuUsage {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const processes: Record<string, number> = {};
    for (const [label, pids] of Object.entries(this.pids)) {
      const before = this.startTicks.get(label);
      const after = readTicks(pids);
      if (before !== undefined && after !== undefined && seconds > 0) processes[label] = ((after - before) / ticksPerSecond() / seconds) * 100;
    }
    const machine = readMachineTicks();
    const total = machine.total - this.startMachine.total;
    const machineBusy = total > 0 ? ((machine.busy - this.startMachine.busy) / total) * 100 : Number.NaN;
    const watched = Object.values(processes).reduce((sum, v) => sum + v, 0);
    return { processes, machineBusy, others: Math.max(0, machineBusy * cpus().length - watched) };
  }
}

/** Summed ticks of `pids`; undefined when none can be read. */
function readTicks(pids: number[]): number | undefined {
  let total: number | undefined;
  for (const pid of pids) {
    try {
      total = (total ?? 0) + parseProcessTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // not running (any more)
    }
  }
  return total;
}

function readMachineTicks(): { busy: number; total: number } {
  try {
    return parseMachineTicks(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** The stack's own processes, to see where the CPU goes: the Kafka brokers and FerretDB. */
export function stackProcesses(): WatchedProcesses {
  return { kafka: pidsMatching(/\bkafka\.Kafka\b/), ferretdb: pidsMatching(/\/ferretdb\s/) };
}
