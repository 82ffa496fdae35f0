import type { Admin, Kafka } from 'kafkajs';
import type { TopicSpec } from './topics';

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
}

/** A topic exists with a shape that differs from its spec in a way we must not paper over. */
export class TopicMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TopicMismatchError';
  }
}

async function waitForLeaders(admin: Admin, specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.name) });
      const ready = specs.every((spec) => {
        const partitions = metadata.topics.find((t) => t.name === spec.name)?.partitions ?? [];
        return partitions.length === spec.partitions && partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
    } catch (error) {
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${specs.map((s) => s.name).join(', ')} have no leaders after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Creates the topics that are missing and checks the ones that exist. A topic with fewer
 * partitions than specified is an error (adding partitions moves keys, and with them the
 * order of conversations), so it is reported rather than silently changed.
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<EnsureTopicsResult> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existingNames = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existingNames.has(spec.name));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((spec) => ({
            topic: spec.name,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
          })),
        });
      } catch (error) {
        // kafkajs asks a broker that has not yet heard of the new topic and gives up (kafkajs#1563):
        // the topic was created; wait until every broker's metadata shows it with leaders
        if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
      }
      await waitForLeaders(admin, missing);
    }
    const present = specs.filter((spec) => existingNames.has(spec.name));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.name) });
      for (const spec of present) {
        const topic = metadata.topics.find((t) => t.name === spec.name);
        const partitions = topic?.partitions.length ?? 0;
        if (partitions !== spec.partitions) {
          throw new TopicMismatchError(
            `topic ${spec.name} has ${partitions} partitions, expected ${spec.partitions}; fix it by hand (changing partitions re-keys conversations)`,
          );
        }
      }
    }
    return { created: missing.map((spec) => spec.name), existing: present.map((spec) => spec.name) };
  } finally {
    await admin.disconnect();
  }
}
