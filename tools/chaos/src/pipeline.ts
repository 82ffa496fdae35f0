import type { Admin, Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createKafka, ensureTopics, loadKafkaConfig, TOPIC_SPECS, TOPICS, type LoggerLike, type TopicSpec } from '@wiber/kafka';
import { RegistryCodec, schemas } from '@wiber/schema';
import { BROKERS, MONGO_URI, SCHEMA_REGISTRY_URL, waitFor } from '@wiber/testing';
import type { StoredMessage } from './counting';
import type { PartitionLeader } from './leaders';
import type { RunNames } from './names';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

function shapedLike(name: string, design: string): TopicSpec {
  const spec = TOPIC_SPECS.find((s) => s.name === design);
  if (spec === undefined) throw new Error(`no spec for ${design}`);
  return { ...spec, name };
}

/**
 * One run's private Kafka topics, consumer groups, registry subjects and Mongo database, and
 * the reads the counts need. `cleanUp` removes all of it.
 */
export class RunResources {
  readonly kafka: Kafka;
  private admin: Admin | undefined;
  private readonly mongo: MongoClient;
  private withLeaderTopics = false;

  constructor(readonly names: RunNames) {
    this.kafka = createKafka(loadKafkaConfig('wiber-chaos', { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL }), quiet);
    this.mongo = new MongoClient(MONGO_URI, { serverSelectionTimeoutMS: 5_000, appName: 'wiber-chaos' });
  }

  async create(leaderTopics: boolean): Promise<void> {
    const { names } = this;
    this.withLeaderTopics = leaderTopics;
    const specs = [shapedLike(names.topic, TOPICS.messages), shapedLike(names.dlqTopic, TOPICS.messagesDlq)];
    if (leaderTopics) specs.push(shapedLike(names.electionTopic, TOPICS.leaderElection), shapedLike(names.metricsTopic, TOPICS.metrics));
    await ensureTopics(this.kafka, specs);
    await new RegistryCodec({ url: SCHEMA_REGISTRY_URL }).registerValueSchema(names.topic, schemas().chatMessage);
    this.admin = this.kafka.admin();
    await this.admin.connect();
  }

  private get connectedAdmin(): Admin {
    if (this.admin === undefined) throw new Error('call create() first');
    return this.admin;
  }

  async partitionLeaders(): Promise<PartitionLeader[]> {
    const { topics } = await this.connectedAdmin.fetchTopicMetadata({ topics: [this.names.topic] });
    return (topics[0]?.partitions ?? []).map((p) => ({ partitionId: p.partitionId, leader: p.leader }));
  }

  /** Every partition of the run's topic has all its replicas in sync again (after a broker came back). */
  async waitFullIsr(timeoutMs: number): Promise<void> {
    await waitFor(
      `every partition of ${this.names.topic} to have all replicas in sync`,
      async () => {
        const { topics } = await this.connectedAdmin.fetchTopicMetadata({ topics: [this.names.topic] });
        const partitions = topics[0]?.partitions ?? [];
        return partitions.length > 0 && partitions.every((p) => p.leader >= 0 && p.isr.length === p.replicas.length);
      },
      timeoutMs,
      500,
    );
  }

  /** Records in the run's dead-letter topic. */
  async deadLetters(): Promise<number> {
    const offsets = await this.connectedAdmin.fetchTopicOffsets(this.names.dlqTopic);
    return offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
  }

  private collection() {
    return this.mongo.db(this.names.database).collection('messages');
  }

  async storedCount(): Promise<number> {
    return this.collection().countDocuments({});
  }

  async storedMessages(): Promise<StoredMessage[]> {
    const docs = await this.collection()
      .find({}, { projection: { _id: 0, clientMessageId: 1, messageId: 1, storedAt: 1 } })
      .toArray();
    return docs.map((d) => ({
      clientMessageId: typeof d['clientMessageId'] === 'string' ? d['clientMessageId'] : null,
      messageId: String(d['messageId']),
      storedAt: d['storedAt'] instanceof Date ? d['storedAt'].getTime() : Number(d['storedAt']),
    }));
  }

  /** Best effort: topics, groups, subjects and the database of the run. Returns what could not be removed. */
  async cleanUp(): Promise<string[]> {
    const { names } = this;
    const failures: string[] = [];
    const attempt = async (what: string, run: () => Promise<unknown>) => {
      await run().catch((error: unknown) => failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`));
    };
    const admin = this.admin;
    if (admin !== undefined) {
      const groups = this.withLeaderTopics ? [names.ingestGroupId, names.leaderGroupId] : [names.ingestGroupId];
      await attempt('delete groups', () => admin.deleteGroups(groups).catch((e: unknown) => (isGroupIdNotFound(e) ? undefined : Promise.reject(e))));
      const topics = [names.topic, names.dlqTopic, ...(this.withLeaderTopics ? [names.electionTopic, names.metricsTopic] : [])];
      await attempt('delete topics', () => admin.deleteTopics({ topics, timeout: 20_000 }));
      await admin.disconnect().catch(() => undefined);
    }
    for (const subject of [`${names.topic}-value`, `${names.metricsTopic}-value`]) {
      await attempt(`delete subject ${subject}`, () => deleteSubject(subject));
    }
    await attempt(`drop database ${names.database}`, () => this.mongo.db(names.database).dropDatabase());
    await this.mongo.close().catch(() => undefined);
    return failures;
  }
}

function isGroupIdNotFound(error: unknown): boolean {
  const groups = (error as { groups?: Array<{ error?: { type?: string } }> }).groups;
  return Array.isArray(groups) && groups.every((g) => g.error === undefined || g.error.type === 'GROUP_ID_NOT_FOUND');
}

async function deleteSubject(subject: string): Promise<void> {
  const url = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(subject)}`;
  const soft = await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(5_000) });
  if (soft.status === 404) return;
  await fetch(`${url}?permanent=true`, { method: 'DELETE', signal: AbortSignal.timeout(5_000) });
}
