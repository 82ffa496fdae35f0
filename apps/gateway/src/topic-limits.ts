import { ConfigResourceTypes, type Admin } from 'kafkajs';

export interface TopicLimits {
  partitions: number;
  /** the topic's max.message.bytes (the largest record batch the broker accepts), when it could be read */
  maxMessageBytes: number | undefined;
}

/** Header of a Kafka record batch (v2), counted against max.message.bytes with its records. */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;

/** Reads the partition count and max.message.bytes of `topic`; throws while the topic does not exist. */
export async function fetchTopicLimits(admin: Admin, topic: string): Promise<TopicLimits> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = topics.find((t) => t.name === topic)?.partitions.length ?? 0;
  if (partitions === 0) throw new Error(`topic ${topic} has no partitions (does it exist?)`);
  let maxMessageBytes: number | undefined;
  try {
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
      includeSynonyms: false,
    });
    const entry = described.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes');
    const value = Number(entry?.configValue);
    maxMessageBytes = Number.isSafeInteger(value) && value > 0 ? value : undefined;
  } catch {
    maxMessageBytes = undefined; // not allowed to describe configs: keep the configured bound
  }
  return { partitions, maxMessageBytes };
}

/** The configured byte bound of a batch, lowered to fit the topic's max.message.bytes. */
export function effectiveMaxBatchBytes(configured: number, maxMessageBytes: number | undefined): number {
  if (maxMessageBytes === undefined) return configured;
  return Math.max(1, Math.min(configured, maxMessageBytes - RECORD_BATCH_OVERHEAD_BYTES));
}
