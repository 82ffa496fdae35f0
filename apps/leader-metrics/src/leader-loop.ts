import type { MetricsSnapshot } from '@wiber/schema';
import type { LoggerLike } from '@wiber/kafka';
import { buildSnapshot, type Figures } from './figures';
import type { InstanceMetrics } from './metrics';
import type { PublishOutcome } from './publisher';

export interface LeaderLoopDeps {
  instanceId: string;
  intervalMs: number;
  collectTimeoutMs: number;
  /** the epoch while leader, else undefined */
  epoch(): number | undefined;
  isLeaderIn(epoch: number): boolean;
  collect(now: number): Promise<Figures>;
  publish(snapshot: MetricsSnapshot, stillLeader: () => boolean): Promise<PublishOutcome>;
  /** a snapshot was published and this instance still leads in its epoch */
  onPublished(snapshot: MetricsSnapshot): void;
  metrics: InstanceMetrics;
  logger: LoggerLike;
}

/** Every interval, while leader: collect the figures, build the snapshot, publish it. */
export class LeaderLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private nextAt = 0;

  constructor(private readonly deps: LeaderLoopDeps) {}

  start(): void {
    this.schedule(0);
  }

  /** Runs a round now (a new leader publishes at once instead of waiting for the interval). */
  kick(): void {
    if (this.running === undefined) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = undefined;
        this.schedule(Math.max(0, this.nextAt - Date.now()));
      });
    }, delayMs);
  }

  /** One round; never throws. */
  async round(): Promise<void> {
    const { deps } = this;
    this.nextAt = Date.now() + deps.intervalMs;
    const epoch = deps.epoch();
    if (epoch === undefined) return;
    const generatedAt = Date.now();
    let figures: Figures;
    try {
      figures = await withTimeout(deps.collect(generatedAt), deps.collectTimeoutMs, 'collecting the figures');
    } catch (error) {
      deps.metrics.failures.inc({ stage: 'collect' });
      deps.logger.warn('could not collect the figures; no snapshot this round', { epoch, error: messageOf(error) });
      return;
    }
    const snapshot = buildSnapshot(figures, deps.instanceId, epoch, generatedAt);
    let outcome: PublishOutcome;
    try {
      outcome = await deps.publish(snapshot, () => deps.isLeaderIn(epoch));
    } catch (error) {
      deps.metrics.failures.inc({ stage: 'publish' });
      deps.logger.warn('could not publish the snapshot', { epoch, error: messageOf(error) });
      return;
    }
    if (outcome === 'fenced') {
      deps.metrics.failures.inc({ stage: 'fenced' });
      deps.logger.warn('leadership ended before the snapshot was sent; discarded', { epoch });
      return;
    }
    deps.metrics.published.inc();
    deps.logger.debug('published a metrics snapshot', { epoch, messagesPerMinute: snapshot.messagesPerMinute, dlqDepth: snapshot.dlqDepth });
    if (deps.isLeaderIn(epoch)) deps.onPublished(snapshot);
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
