import fc from 'fast-check';
import { DEAD_LETTER_HEADERS as H } from '@wiber/kafka';
import { frame, RegistryCodec, schemas, type MetricsSnapshot } from '@wiber/schema';
import { AppProcess, freePort, MONGO_URI, SCHEMA_REGISTRY_URL, waitFor } from '@wiber/testing';
import { ingestEnv, uniqueNames, type TestNames } from './support/environment';
import { chatMessages, KafkaFixture, type ProducedRecord } from './support/kafka-fixture';
import { MongoFixture } from './support/mongo-fixture';
import { headerText } from './support/topic-reader';

const APP_DIR = 'apps/ingest-consumer';
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000_000);
const RECORD_RETRIES = 1;

type Category = 'random-bytes' | 'truncated-avro' | 'unknown-schema-id' | 'garbage-body' | 'wrong-schema';

/** The dead-letter reasons each kind of garbage may get (random bytes can look like anything). */
const REASONS: Record<Category, string[]> = {
  'random-bytes': ['missing-value', 'truncated-header', 'bad-magic-byte', 'unknown-schema-id', 'corrupt-payload', 'invalid-message'],
  'truncated-avro': ['missing-value', 'truncated-header', 'corrupt-payload'],
  'unknown-schema-id': ['unknown-schema-id'],
  'garbage-body': ['corrupt-payload', 'invalid-message'],
  'wrong-schema': ['corrupt-payload', 'decode-failed'],
};

interface Garbage extends ProducedRecord {
  category: Category;
}

/** Conversation keys the records are spread over; each key's records go in one send (one partition). */
const KEYS = ['alice:bob', 'carol:dave', 'erin:frank'];

async function schemaIdExists(id: number): Promise<boolean> {
  const res = await fetch(`${SCHEMA_REGISTRY_URL}/schemas/ids/${id}`);
  if (res.status !== 200 && res.status !== 404) throw new Error(`registry answered ${res.status} for schema id ${id}`);
  return res.status === 200;
}

function snapshot(i: number): MetricsSnapshot {
  return {
    leaderId: `garbage-${i}`,
    epoch: i,
    generatedAt: Date.now(),
    windowSeconds: 60,
    messagesPerMinute: i * 1.5,
    messagesPerMinuteByPartition: [{ partition: 0, perMinute: i }],
    activeConversations: i,
    activeUsers: i * 2,
    consumerLag: [{ group: 'wiber.ingest', topic: 'wiber.messages', partition: 0, lag: i }],
    dlqDepth: i,
  };
}

describe('ingest-consumer fed garbage straight onto its topic (a real process on the local stack)', () => {
  let names: TestNames;
  let kafka: KafkaFixture;
  let mongo: MongoFixture;
  let app: AppProcess | undefined;
  const codec = new RegistryCodec({ url: SCHEMA_REGISTRY_URL });
  let snapshotTopic = '';

  beforeAll(async () => {
    names = uniqueNames('garbage');
    snapshotTopic = `${names.topic}.snapshot`;
    kafka = new KafkaFixture(names.topic, names.dlqTopic);
    await kafka.setUp();
    mongo = new MongoFixture(MONGO_URI, names.database);
  }, 60_000);

  afterAll(async () => {
    await app?.ensureStopped();
    await kafka?.tearDown(names.groupId);
    await mongo?.dropAndClose();
    // the MetricsSnapshot subject registered only to get a real id of the wrong schema
    const subject = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(`${snapshotTopic}-value`)}`;
    await fetch(subject, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${subject}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
  }, 60_000);

  /** Every kind of garbage, generated from SEED; correlation ids name each record. */
  async function generateGarbage(wave: number): Promise<Garbage[]> {
    const seed = SEED + wave;
    const [template] = chatMessages(1, 'template');
    if (template === undefined) throw new Error('no message');
    const good = kafka.encode(template).value;
    if (good === null) throw new Error('no value');
    const chatSchemaId = good.readInt32BE(1);
    const snapshotSchemaId = await codec.registerValueSchema(snapshotTopic, schemas().metricsSnapshot);

    const garbage: Array<Omit<Garbage, 'key' | 'correlationId'>> = [
      // the edge cases the generators may miss: empty, null (tombstone), header only
      { category: 'random-bytes', value: Buffer.alloc(0) },
      { category: 'random-bytes', value: null },
      { category: 'random-bytes', value: Buffer.from([0, 0, 0, 0, 1]) },
      ...fc.sample(fc.uint8Array({ maxLength: 300 }), { seed, numRuns: 30 }).map((bytes) => ({ category: 'random-bytes' as const, value: Buffer.from(bytes) })),
      ...fc
        .sample(fc.integer({ min: 0, max: good.length - 1 }), { seed, numRuns: 15 })
        .map((length) => ({ category: 'truncated-avro' as const, value: good.subarray(0, length) })),
      ...fc.sample(fc.uint8Array({ minLength: 1, maxLength: 200 }), { seed, numRuns: 15 }).map((bytes) => ({ category: 'garbage-body' as const, value: frame(chatSchemaId, Buffer.from(bytes)) })),
      ...[0, 1, 2, 3].map((i) => ({
        category: 'wrong-schema' as const,
        value: codec.encode(snapshotTopic, schemas().metricsSnapshot, snapshot(i)),
      })),
    ];
    // ids no registry holds (checked), including the edges of the int32 range
    const candidates = [0, -1, 2_147_483_647, -2_147_483_648, ...fc.sample(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }), { seed, numRuns: 8 })];
    for (const id of candidates) {
      if (id !== chatSchemaId && id !== snapshotSchemaId && !(await schemaIdExists(id))) {
        garbage.push({ category: 'unknown-schema-id', value: frame(id, good.subarray(5)) });
      }
    }
    return garbage.map((g, i) => ({ ...g, key: KEYS[i % KEYS.length] ?? 'alice:bob', correlationId: `garbage-${wave}-${g.category}-${i}` }));
  }

  /** Garbage and good records interleaved, sent one key (so one partition) per send. */
  async function sendInterleaved(garbage: Garbage[], label: string): Promise<{ good: string[] }> {
    const good: string[] = [];
    for (const [k, key] of KEYS.entries()) {
      const [fromUser = 'alice', toUser = 'bob'] = key.split(':');
      const mine = garbage.filter((_, i) => i % KEYS.length === k);
      const messages = chatMessages(mine.length + 1, `${label}-${key}`).map((m) => ({ ...m, fromUser, toUser, conversationId: key }));
      const records: ProducedRecord[] = [];
      messages.forEach((message, i) => {
        records.push(kafka.encode(message));
        good.push(message.messageId);
        const bad = mine[i];
        if (bad !== undefined) records.push(bad);
      });
      await kafka.send(records);
    }
    return { good };
  }

  it('dead-letters every garbage record (N sent = N dead letters, each with its reason), stores every good one, and never crashes', async () => {
    const port = await freePort();
    const firstWave = await generateGarbage(0);
    const first = await sendInterleaved(firstWave, 'before-start');

    app = new AppProcess(
      APP_DIR,
      ingestEnv(names, {
        INGEST_METRICS_PORT: String(port),
        INGEST_INSTANCE_ID: 'garbage-test',
        INGEST_RECORD_RETRIES: String(RECORD_RETRIES),
        INGEST_RECORD_RETRY_INITIAL_MS: '50',
        INGEST_RECORD_RETRY_MAX_MS: '100',
      }),
    );
    const consumer = app;
    const pid = app.pid;
    const firstTotal = firstWave.length + first.good.length;
    await waitFor(`the first ${firstTotal} records to be committed`, async () => {
      if (!consumer.isRunning()) throw new Error(`the consumer exited: ${consumer.stderr.slice(-2000)}`);
      return (await kafka.totalCommitted(names.groupId)) === firstTotal;
    }, 90_000);

    // a second wave while it runs
    const secondWave = await generateGarbage(1);
    const second = await sendInterleaved(secondWave, 'while-running');
    const garbage = [...firstWave, ...secondWave];
    const goodIds = [...first.good, ...second.good];
    const total = garbage.length + goodIds.length;
    await waitFor(`all ${total} records to be committed`, async () => {
      if (!consumer.isRunning()) throw new Error(`the consumer exited: ${consumer.stderr.slice(-2000)}`);
      return (await kafka.totalCommitted(names.groupId)) === total;
    }, 90_000);

    const letters = await kafka.deadLetters();
    const stored = await mongo.summary();
    const byCategory = new Map<string, number>();
    for (const g of garbage) byCategory.set(g.category, (byCategory.get(g.category) ?? 0) + 1);
    const reasons = new Map<string, number>();
    for (const letter of letters) reasons.set(headerText(letter, H.reason) ?? '(none)', (reasons.get(headerText(letter, H.reason) ?? '(none)') ?? 0) + 1);
    process.stdout.write(
      `garbage seed ${SEED}: sent ${garbage.length} garbage records ${JSON.stringify(Object.fromEntries(byCategory))} and ${goodIds.length} good ones; ` +
        `${letters.length} dead letters ${JSON.stringify(Object.fromEntries(reasons))}; ${stored.count} stored\n`,
    );

    // N sent = N dead letters, each the record sent, with a reason that fits what it is
    expect(letters).toHaveLength(garbage.length);
    const sent = new Map(garbage.map((g) => [g.correlationId, g]));
    const seen = new Set<string>();
    for (const letter of letters) {
      const correlationId = headerText(letter, 'x-correlation-id') ?? '';
      const original = sent.get(correlationId);
      if (original === undefined) throw new Error(`dead letter with unknown correlation id ${JSON.stringify(correlationId)}`);
      seen.add(correlationId);
      const value = letter.value === null ? null : Buffer.from(letter.value);
      expect({ correlationId, value, topic: headerText(letter, H.topic), group: headerText(letter, H.group) }).toEqual({
        correlationId,
        // an empty value reads back from Kafka as null or empty, as it went in
        value: original.value === null || original.value.length === 0 ? value : original.value,
        topic: names.topic,
        group: names.groupId,
      });
      expect(REASONS[original.category]).toContain(headerText(letter, H.reason));
      expect(headerText(letter, H.errorMessage)?.length ?? 0).toBeGreaterThan(0);
      if (headerText(letter, H.reason) === 'unknown-schema-id') expect(headerText(letter, H.attempts)).toBe(String(RECORD_RETRIES + 1));
    }
    expect(seen.size).toBe(garbage.length);

    // every good record, before, between and after the garbage, is stored, once
    expect({ count: stored.count, distinct: stored.distinctMessageIds }).toEqual({ count: goodIds.length, distinct: goodIds.length });
    for (const id of goodIds) expect(await mongo.find(id)).not.toBeNull();

    // and it is the same process, still alive and healthy
    const liveness = await fetch(`http://127.0.0.1:${port}/health/liveness`);
    const readiness = await fetch(`http://127.0.0.1:${port}/health/readiness`);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const dlqTotal = [...metrics.matchAll(/^wiber_dlq_messages_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect({ running: app.isRunning(), pid: app.pid, liveness: liveness.status, readiness: readiness.status, dlqTotal, stderr: app.stderr }).toEqual({
      running: true,
      pid,
      liveness: 200,
      readiness: 200,
      dlqTotal: garbage.length,
      stderr: '',
    });
  }, 240_000);
});
