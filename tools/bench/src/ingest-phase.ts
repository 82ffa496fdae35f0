import type { Admin, Kafka, Producer } from 'kafkajs';
import type { MongoClient } from 'mongodb';
import { ensureTopics } from '@wiber/kafka';
import { waitFor } from '@wiber/testing';
import type { RegistryCodec } from '@wiber/schema';
import { startIngestConsumer, type RunningApp, type StackEnv } from './children';
import { stackProcesses } from './cpu';
import { assignedPartitions, assignmentSettled, produceAll, runMongoCeiling, toDocuments, watchIngest, type IngestWatchResult, type MongoCeilingResult } from './ingest';
import { freshRecords, type SizedPayloads } from './payloads';
import { privateTopicSpec, type Scratch } from './scratch';
import { ceilingBatchSize } from './sizes';

export interface IngestRun {
  instances: number;
  watch: IngestWatchResult;
  /** how long writing the records to the topic took (the consumers read meanwhile; they are timed from its end) */
  produceMs: number;
}

export interface SizeIngest {
  size: number;
  documents: number;
  ceilings: MongoCeilingResult[];
  runs: IngestRun[];
}

export interface IngestContext {
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  codec: RegistryCodec;
  mongo: MongoClient;
  stack: StackEnv;
  partitions: number;
  runId: string;
  scratch: Scratch;
  apps: RunningApp[];
  log: (line: string) => void;
}

export interface IngestSettings {
  /** documents per size: at most this many ... */
  maxMessages: number;
  /** ... and at most this many bytes of content */
  budgetBytes: number;
  instances: readonly number[];
  /** documents per insertMany of the bare insert */
  chunk: number;
  maxBatchBytes: number;
}

/** How many documents one size stores: the message cap, or fewer for large messages (the byte budget), at least 500. */
export function ingestCount(size: number, settings: Pick<IngestSettings, 'maxMessages' | 'budgetBytes'>): number {
  return Math.max(Math.min(500, settings.maxMessages), Math.min(settings.maxMessages, Math.floor(settings.budgetBytes / size)));
}

/**
 * One size: the bare insertMany ceilings, then for each instance count a fresh private topic
 * and group: the consumers start and settle their assignment on the empty topic (no rebalance
 * while measured), the records are written, and the consumers are timed by their own counters
 * from the end of the writing until all records are stored.
 */
export async function runIngestForSize(ctx: IngestContext, payloads: SizedPayloads, settings: IngestSettings): Promise<SizeIngest> {
  const count = ingestCount(payloads.size, settings);
  const records = freshRecords(ctx.codec, payloads, count, ctx.partitions);
  const batch = ceilingBatchSize(500, payloads.meanValueBytes + 100, settings.maxBatchBytes);
  const tag = `${ctx.runId}_${payloads.size}`;

  const ceilings: MongoCeilingResult[] = [];
  for (const chunk of [...new Set([settings.chunk, count])]) {
    const db = `${tag}_bulk${chunk}`;
    ctx.scratch.add(`drop database ${db}`, () => ctx.mongo.db(db).dropDatabase());
    const result = await runMongoCeiling(ctx.mongo.db(db), toDocuments(records, 'bench'), chunk);
    ctx.log(`${payloads.size} B: bare insertMany, ${chunk} per call: ${result.perSecond.toFixed(0)} documents/s`);
    ceilings.push(result);
  }

  const runs: IngestRun[] = [];
  for (const instances of settings.instances) {
    const topic = `${ctx.runId}.ingest.${payloads.size}.${instances}`;
    const group = topic;
    const db = `${tag}_ingest${instances}`;
    await ensureTopics(ctx.kafka, [privateTopicSpec(topic)]);
    ctx.scratch.add(`delete topic ${topic}`, () => ctx.admin.deleteTopics({ topics: [topic] }));
    ctx.scratch.add(`drop database ${db}`, () => ctx.mongo.db(db).dropDatabase());
    ctx.scratch.add(`delete group ${group}`, () => ctx.admin.deleteGroups([group]));
    const consumers = await Promise.all(
      Array.from({ length: instances }, (_, i) =>
        startIngestConsumer(ctx.stack, { MONGO_DATABASE: db, INGEST_TOPIC: topic, INGEST_GROUP_ID: group, INGEST_INSTANCE_ID: `${topic}-${i}` }),
      ),
    );
    ctx.apps.push(...consumers);
    const urls = consumers.map((c) => `${c.url}/metrics`);
    // every instance holds its share of the (still empty) topic first: no rebalance while measured
    await waitFor(`${instances} ingest-consumer(s) to share the ${ctx.partitions} partitions`, async () => assignmentSettled(await assignedPartitions(urls), ctx.partitions), 60_000, 200);
    // then the records are written; the consumers are timed from the moment writing ended (not competing with the producer)
    let written = false;
    const produceStarted = performance.now();
    const [watch, produceMs] = await Promise.all([
      watchIngest(
        urls,
        ctx.mongo.db(db),
        count,
        { ingest: consumers.map((c) => c.app.pid).filter((pid): pid is number => pid !== undefined), ...stackProcesses() },
        () => Promise.resolve(written),
      ),
      produceAll(ctx.producer, topic, records, batch).then(() => {
        written = true;
        return performance.now() - produceStarted;
      }),
    ]);
    ctx.log(`${payloads.size} B: ingest with ${instances} instance(s): ${watch.perSecond.toFixed(0)} documents/s, ${watch.stored} stored`);
    runs.push({ instances, watch, produceMs });
    await Promise.all(consumers.map((c) => c.stop()));
  }
  return { size: payloads.size, documents: count, ceilings, runs };
}
