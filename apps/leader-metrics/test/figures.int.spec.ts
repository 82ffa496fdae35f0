import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { ACKS_ALL } from '@wiber/kafka';
import { MessageRepository, type MessageDocument } from '@wiber/mongo';
import { conversationIdOf, schemas, type ChatMessage, type MetricsSnapshot } from '@wiber/schema';
import { MONGO_URI, waitFor } from '@wiber/testing';
import { uniqueNames, type TestNames } from './support/environment';
import { LeaderCluster, metricValue, scrape } from './support/instances';
import { KafkaFixture } from './support/kafka-fixture';

/** 7 conversations among 6 users. */
const PAIRS: ReadonlyArray<[string, string]> = [
  ['ann', 'ben'],
  ['ann', 'cat'],
  ['ben', 'cat'],
  ['dan', 'eve'],
  ['eve', 'fay'],
  ['ann', 'fay'],
  ['cat', 'dan'],
];
/** conversations seen only before the activity window */
const OLD_PAIRS: ReadonlyArray<[string, string]> = [
  ['old1', 'old2'],
  ['old3', 'ann'],
];

function message(pair: readonly [string, string], i: number, sentAt: number): ChatMessage {
  const [a, b] = pair;
  const [fromUser, toUser] = i % 2 === 0 ? [a, b] : [b, a];
  return { messageId: randomUUID(), conversationId: conversationIdOf(fromUser, toUser), fromUser, toUser, content: `m ${i}`, sentAt, clientMessageId: null };
}

describe('snapshot figures against a controlled run (private topics, groups and database)', () => {
  let names: TestNames;
  let fixture: KafkaFixture;
  let cluster: LeaderCluster | undefined;
  const mongo = new MongoClient(MONGO_URI, { serverSelectionTimeoutMS: 5_000 });

  afterAll(async () => {
    await cluster?.stopAll();
    await fixture?.tearDown();
    await mongo.db(names.database).dropDatabase().catch(() => undefined);
    await mongo.close();
  });

  it('counts exactly the 300 messages of the last minute, 7 active conversations, their users, the lag and the DLQ depth', async () => {
    names = uniqueNames('figures');
    fixture = new KafkaFixture(names);
    await fixture.setUp();
    const now = Date.now();

    // Kafka: 20 records stamped 10 minutes ago first (outside the rate window), then 300 fresh ones
    const old = Array.from({ length: 20 }, (_, i) => message(OLD_PAIRS[i % OLD_PAIRS.length] ?? PAIRS[0], i, now - 600_000));
    const fresh = Array.from({ length: 300 }, (_, i) => message(PAIRS[i % PAIRS.length] ?? PAIRS[0], i, now - 50_000 + i * 100));
    const send = async (messages: ChatMessage[], timestamp?: number): Promise<void> => {
      await fixture.producer.send({
        topic: names.messagesTopic,
        acks: ACKS_ALL,
        messages: messages.map((m) => ({
          key: m.conversationId,
          value: fixture.codec.encode(names.messagesTopic, schemas().chatMessage, m),
          ...(timestamp === undefined ? {} : { timestamp: String(timestamp) }),
        })),
      });
    };
    await send(old, now - 600_000);
    const afterOld = await fixture.ends(names.messagesTopic);
    await send(fresh);
    const afterFresh = await fixture.ends(names.messagesTopic);
    const freshByPartition = [...afterFresh]
      .map(([partition, high]) => ({ partition, count: high - (afterOld.get(partition) ?? 0) }))
      .sort((a, b) => a.partition - b.partition);
    expect(freshByPartition.reduce((sum, p) => sum + p.count, 0)).toBe(300);
    expect(freshByPartition.filter((p) => p.count > 0).length).toBeGreaterThan(1);

    // Mongo: what the ingest consumer would have stored for the same messages
    const toDocument = (m: ChatMessage, offset: number): MessageDocument => ({
      ...m,
      sentAt: new Date(m.sentAt),
      kafka: { topic: names.messagesTopic, partition: 0, offset: String(offset) },
      storedAt: new Date(),
    });
    const repository = new MessageRepository(mongo.db(names.database));
    await repository.ensureIndexes();
    const stored = await repository.insertMany([...old, ...fresh].map(toDocument));
    expect(stored.inserted).toBe(320);
    const activeUsers = new Set(fresh.flatMap((m) => [m.fromUser, m.toUser])).size;
    const activeConversations = new Set(fresh.map((m) => m.conversationId)).size;
    expect(activeConversations).toBe(7);

    // the ingest group committed about half of each partition, and nothing on the last one
    const partitions = [...afterFresh.keys()].sort((a, b) => a - b);
    const committedIngest = new Map(partitions.slice(0, -1).map((p) => [p, Math.floor((afterFresh.get(p) ?? 0) / 2)]));
    await fixture.admin.setOffsets({
      groupId: names.ingestGroupId,
      topic: names.messagesTopic,
      partitions: [...committedIngest].map(([partition, offset]) => ({ partition, offset: String(offset) })),
    });
    const expectedIngestLag = partitions.map((p) => ({
      group: names.ingestGroupId,
      topic: names.messagesTopic,
      partition: p,
      lag: (afterFresh.get(p) ?? 0) - (committedIngest.get(p) ?? 0),
    }));

    // DLQ: 4 dead letters on partition 0 (1 already replayed), 2 on partition 1 (none replayed), none on 2
    const dead = (partition: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ partition, key: `k${i}`, value: Buffer.from(`poison ${i}`), headers: { 'wiber.dlq.topic': names.messagesTopic } }));
    await fixture.producer.send({ topic: names.dlqTopic, acks: ACKS_ALL, messages: [...dead(0, 4), ...dead(1, 2)] });
    await fixture.admin.setOffsets({ groupId: names.replayerGroupId, topic: names.dlqTopic, partitions: [{ partition: 0, offset: '1' }] });
    const expectedReplayerLag = [
      { group: names.replayerGroupId, topic: names.dlqTopic, partition: 0, lag: 3 },
      { group: names.replayerGroupId, topic: names.dlqTopic, partition: 1, lag: 2 },
      { group: names.replayerGroupId, topic: names.dlqTopic, partition: 2, lag: 0 },
    ];
    const setUpDoneAt = Date.now();

    const reader = await fixture.startReader();
    cluster = new LeaderCluster(names, { LEADER_INTERVAL_SECONDS: '2', LEADER_SESSION_TIMEOUT_MS: '6000' });
    const instance = await cluster.start('lm-figures');
    const snapshot = await waitFor<MetricsSnapshot>(
      'a snapshot computed after the controlled run was set up',
      () => {
        const latest = reader.latest();
        return latest !== undefined && latest.generatedAt >= setUpDoneAt ? latest : undefined;
      },
      40_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${cluster?.describe() ?? ''}`);
    });
    // the rate window is a minute: all of this must have happened within it
    expect(snapshot.generatedAt - now).toBeLessThan(50_000);

    expect(snapshot).toEqual({
      leaderId: 'lm-figures',
      epoch: expect.any(Number),
      generatedAt: expect.any(Number),
      windowSeconds: 60,
      messagesPerMinute: 300,
      messagesPerMinuteByPartition: freshByPartition.map(({ partition, count }) => ({ partition, perMinute: count })),
      activeConversations,
      activeUsers,
      consumerLag: [...expectedIngestLag, ...expectedReplayerLag],
      dlqDepth: 5,
    });
    expect(snapshot.epoch).toBeGreaterThan(0);

    // the leader's gauges show the same figures
    const text = await waitFor('gauges of that snapshot', async () => {
      const body = await scrape(instance.port);
      return body !== undefined && metricValue(body, 'wiber_leader_snapshot_timestamp_seconds') === snapshot.generatedAt / 1000 ? body : undefined;
    }, 10_000);
    expect(metricValue(text, 'wiber_leader')).toBe(1);
    expect(metricValue(text, 'wiber_messages_per_minute')).toBe(300);
    expect(metricValue(text, 'wiber_active_conversations')).toBe(activeConversations);
    expect(metricValue(text, 'wiber_active_users')).toBe(activeUsers);
    expect(metricValue(text, 'wiber_dlq_depth')).toBe(5);
    const lastPartition = partitions[partitions.length - 1] ?? -1;
    expect(metricValue(text, 'wiber_consumer_lag', { group: names.ingestGroupId, partition: String(lastPartition) })).toBe(afterFresh.get(lastPartition));
    const readiness = await fetch(`http://127.0.0.1:${instance.port}/health/readiness`);
    expect(readiness.status).toBe(200);

    instance.app.signal('SIGTERM');
    const exit = await instance.app.exited;
    expect({ code: exit.code, stderr: exit.stderr }).toEqual({ code: 0, stderr: '' });
  }, 120_000);
});
