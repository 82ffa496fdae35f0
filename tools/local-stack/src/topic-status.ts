import { createKafka, ensureTopics, loadKafkaConfig, TOPIC_SPECS, type LoggerLike } from '@wiber/kafka';

const silent: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

export interface PartitionStatus {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

function kafka() {
  return createKafka({ ...loadKafkaConfig('wiber-local-stack'), connectionTimeoutMs: 2000 }, silent);
}

/** Creates the design's topics (RF 3, min ISR 2) if they are missing. */
export async function ensureDesignTopics(): Promise<string[]> {
  return (await ensureTopics(kafka(), TOPIC_SPECS)).created;
}

/** Leader and in-sync replicas of every partition of the design's topics that exist. */
export async function designTopicPartitions(): Promise<PartitionStatus[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = TOPIC_SPECS.map((spec) => spec.name).filter((name) => existing.has(name));
    if (topics.length === 0) return [];
    const metadata = await admin.fetchTopicMetadata({ topics });
    return metadata.topics.flatMap((topic) =>
      [...topic.partitions]
        .sort((a, b) => a.partitionId - b.partitionId)
        .map((p) => ({ topic: topic.name, partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr })),
    );
  } finally {
    await admin.disconnect();
  }
}

export function formatPartitions(partitions: PartitionStatus[]): string[] {
  const header = ['topic', 'partition', 'leader', 'replicas', 'in-sync'];
  const rows = partitions.map((p) => [
    p.topic,
    String(p.partition),
    String(p.leader),
    p.replicas.join(','),
    `${p.isr.join(',')}${p.isr.length < p.replicas.length ? '  (under-replicated)' : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}
