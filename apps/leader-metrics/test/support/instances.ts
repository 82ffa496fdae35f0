import { AppProcess, freePort, sleep } from '@wiber/testing';
import { leaderEnv, type TestNames } from './environment';

export interface Instance {
  id: string;
  port: number;
  app: AppProcess;
}

export interface Reading {
  id: string;
  /** undefined when the instance did not answer in time (stopped, frozen, starting) */
  leader: number | undefined;
  epoch: number | undefined;
}

export interface Sample {
  at: number;
  readings: Reading[];
}

/** Value of the first series of `name` in a Prometheus text exposition. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const labelText = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) return Number(match[3]);
  }
  return undefined;
}

export async function scrape(port: number, timeoutMs = 500): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

/** Several leader-metrics processes of one test, and what their /metrics say. */
export class LeaderCluster {
  readonly instances: Instance[] = [];
  readonly samples: Sample[] = [];
  private sampling = false;
  private sampler: Promise<void> | undefined;

  constructor(
    private readonly names: TestNames,
    private readonly overrides: Record<string, string>,
  ) {}

  async start(id: string): Promise<Instance> {
    const port = await freePort();
    const app = new AppProcess('apps/leader-metrics', leaderEnv(this.names, { ...this.overrides, LEADER_INSTANCE_ID: id, LEADER_METRICS_PORT: String(port) }));
    const instance = { id, port, app };
    this.instances.push(instance);
    return instance;
  }

  get(id: string): Instance {
    const instance = this.instances.find((i) => i.id === id);
    if (instance === undefined) throw new Error(`no instance ${id}`);
    return instance;
  }

  async read(instance: Instance, timeoutMs = 500): Promise<Reading> {
    const text = await scrape(instance.port, timeoutMs);
    return {
      id: instance.id,
      leader: text === undefined ? undefined : metricValue(text, 'wiber_leader'),
      epoch: text === undefined ? undefined : metricValue(text, 'wiber_leader_epoch'),
    };
  }

  /** Reads every running instance at (nearly) the same moment. */
  async readAll(): Promise<Sample> {
    const at = Date.now();
    const running = this.instances.filter((i) => i.app.isRunning());
    return { at, readings: await Promise.all(running.map((i) => this.read(i))) };
  }

  /** Until stopSampling: a sample every `intervalMs`, kept in `samples`. */
  startSampling(intervalMs = 100): void {
    this.sampling = true;
    this.sampler = (async () => {
      while (this.sampling) {
        this.samples.push(await this.readAll());
        await sleep(intervalMs);
      }
    })();
  }

  async stopSampling(): Promise<void> {
    this.sampling = false;
    await this.sampler;
  }

  /** A settled group: every answering instance reports the same epoch and exactly one of them leads. */
  async settled(expectedMembers: number): Promise<{ leader: Instance; epoch: number } | undefined> {
    const { readings } = await this.readAll();
    const answering = readings.filter((r) => r.leader !== undefined);
    const leaders = answering.filter((r) => r.leader === 1);
    const epochs = new Set(answering.map((r) => r.epoch));
    const [leader] = leaders;
    const [epoch] = [...epochs];
    if (answering.length !== expectedMembers || leaders.length !== 1 || epochs.size !== 1 || leader === undefined || !epoch) return undefined;
    return { leader: this.get(leader.id), epoch };
  }

  async stopAll(): Promise<void> {
    await this.stopSampling();
    await Promise.all(this.instances.map((i) => i.app.ensureStopped()));
  }

  /** Log excerpt for failure messages. */
  describe(): string {
    return this.instances.map((i) => `--- ${i.id}\n${i.app.stdout.slice(-2500)}\n${i.app.stderr.slice(-1000)}`).join('\n');
  }
}

export function leadersIn(sample: Sample): string[] {
  return sample.readings.filter((r) => r.leader === 1).map((r) => r.id);
}

/**
 * Stretches without a leader, in ms: from the first sample without one to the next sample with
 * one (or to the last sample, for a stretch still open at the end).
 */
export function leaderlessStretchesMs(samples: readonly Sample[]): number[] {
  const stretches: number[] = [];
  let gapStart: number | undefined;
  for (const sample of samples) {
    const leaders = leadersIn(sample).length;
    if (leaders === 0 && gapStart === undefined) gapStart = sample.at;
    if (leaders > 0 && gapStart !== undefined) {
      stretches.push(sample.at - gapStart);
      gapStart = undefined;
    }
  }
  const last = samples[samples.length - 1];
  if (gapStart !== undefined && last !== undefined) stretches.push(last.at - gapStart);
  return stretches;
}
