export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export const TOPICS = {
  messages: 'wiber.messages',
  messagesDlq: 'wiber.messages.dlq',
  metrics: 'wiber.metrics',
  leaderElection: 'wiber.leader-election',
} as const;

export const CONSUMER_GROUPS = {
  ingest: 'wiber.ingest',
  leaderMetrics: 'wiber.leader-metrics',
  dlqReplayer: 'wiber.dlq-replayer',
} as const;

const durable = { 'min.insync.replicas': '2' };

/** The design's topics. Replication factor 3 with min ISR 2: one broker may be down. */
export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: TOPICS.messages, partitions: 6, replicationFactor: 3, configs: durable },
  { name: TOPICS.messagesDlq, partitions: 3, replicationFactor: 3, configs: durable },
  {
    name: TOPICS.metrics,
    partitions: 1,
    replicationFactor: 3,
    // readers only need the newest snapshot per key
    configs: { ...durable, 'cleanup.policy': 'compact,delete', 'retention.ms': String(7 * 24 * 3600 * 1000) },
  },
  { name: TOPICS.leaderElection, partitions: 1, replicationFactor: 3, configs: durable },
];
