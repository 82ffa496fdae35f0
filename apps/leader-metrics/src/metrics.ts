import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricsSnapshot } from '@wiber/schema';

export type SnapshotFailureStage = 'collect' | 'publish' | 'fenced';

/** Metrics every instance exports, leader or not. */
export interface InstanceMetrics {
  elections: Counter;
  published: Counter;
  failures: Counter<'stage'>;
}

export interface LeadershipView {
  isLeader(): boolean;
  generationId(): number;
}

export function createInstanceMetrics(registry: Registry, view: LeadershipView): InstanceMetrics {
  const registers = [registry];
  new Gauge({
    name: 'wiber_leader',
    help: '1 while this instance is the elected leader (holds partition 0 of the election topic within its lease), else 0',
    registers,
    // evaluated at scrape time, so a process that was frozen reports 0 as soon as it answers
    collect() {
      this.set(view.isLeader() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'wiber_leader_epoch',
    help: 'Generation of the election group this instance last had confirmed by a heartbeat: the leader epoch (fencing token)',
    registers,
    collect() {
      this.set(view.generationId());
    },
  });
  const metrics: InstanceMetrics = {
    elections: new Counter({
      name: 'wiber_leader_elections_total',
      help: 'Times this instance became leader (each with a new epoch)',
      registers,
    }),
    published: new Counter({
      name: 'wiber_leader_snapshots_published_total',
      help: 'MetricsSnapshots this instance published as leader',
      registers,
    }),
    failures: new Counter({
      name: 'wiber_leader_snapshot_failures_total',
      help: 'Snapshots not published, by stage: collect (a source failed or timed out), publish (Kafka refused), fenced (leadership ended before sending)',
      labelNames: ['stage'],
      registers,
    }),
  };
  metrics.elections.inc(0);
  metrics.published.inc(0);
  for (const stage of ['collect', 'publish', 'fenced'] as const) metrics.failures.inc({ stage }, 0);
  return metrics;
}

/**
 * The figures as Prometheus gauges, present only on the leader: they are registered when a
 * snapshot is shown and removed when leadership ends, so followers export none of them and
 * sums or averages across instances stay right.
 */
export class LeaderGauges {
  private readonly messagesPerMinute = new Gauge({
    name: 'wiber_messages_per_minute',
    help: 'Records appended to the messages topic per minute, over the rate window',
    registers: [],
  });
  private readonly messagesPerMinuteByPartition = new Gauge({
    name: 'wiber_messages_per_minute_by_partition',
    help: 'Records appended to the messages topic per minute, over the rate window, per partition',
    labelNames: ['partition'] as const,
    registers: [],
  });
  private readonly activeConversations = new Gauge({
    name: 'wiber_active_conversations',
    help: 'Distinct conversations with a stored message sent within the activity window (5 minutes)',
    registers: [],
  });
  private readonly activeUsers = new Gauge({
    name: 'wiber_active_users',
    help: 'Distinct senders or recipients of stored messages sent within the activity window (5 minutes)',
    registers: [],
  });
  private readonly consumerLag = new Gauge({
    name: 'wiber_consumer_lag',
    help: 'Records after the committed offset of a consumer group, per partition',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [],
  });
  private readonly dlqDepth = new Gauge({
    name: 'wiber_dlq_depth',
    help: 'Records in the dead-letter topic not yet consumed by the replayer group',
    registers: [],
  });
  private readonly generatedAt = new Gauge({
    name: 'wiber_leader_snapshot_timestamp_seconds',
    help: 'When the figures shown were computed',
    registers: [],
  });
  private readonly all: ReadonlyArray<[string, Gauge<string>]> = [
    ['wiber_messages_per_minute', this.messagesPerMinute],
    ['wiber_messages_per_minute_by_partition', this.messagesPerMinuteByPartition],
    ['wiber_active_conversations', this.activeConversations],
    ['wiber_active_users', this.activeUsers],
    ['wiber_consumer_lag', this.consumerLag],
    ['wiber_dlq_depth', this.dlqDepth],
    ['wiber_leader_snapshot_timestamp_seconds', this.generatedAt],
  ];
  private shown = false;

  constructor(private readonly registry: Registry) {}

  show(snapshot: MetricsSnapshot): void {
    this.messagesPerMinute.set(snapshot.messagesPerMinute);
    this.messagesPerMinuteByPartition.reset();
    for (const { partition, perMinute } of snapshot.messagesPerMinuteByPartition) {
      this.messagesPerMinuteByPartition.set({ partition: String(partition) }, perMinute);
    }
    this.activeConversations.set(snapshot.activeConversations);
    this.activeUsers.set(snapshot.activeUsers);
    this.consumerLag.reset();
    for (const { group, topic, partition, lag } of snapshot.consumerLag) {
      this.consumerLag.set({ group, topic, partition: String(partition) }, lag);
    }
    this.dlqDepth.set(snapshot.dlqDepth);
    this.generatedAt.set(snapshot.generatedAt / 1000);
    if (!this.shown) {
      for (const [, gauge] of this.all) this.registry.registerMetric(gauge);
      this.shown = true;
    }
  }

  hide(): void {
    if (!this.shown) return;
    for (const [name, gauge] of this.all) {
      this.registry.removeSingleMetric(name);
      gauge.reset();
    }
    this.shown = false;
  }

  isShown(): boolean {
    return this.shown;
  }
}
