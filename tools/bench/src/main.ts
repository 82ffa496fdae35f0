import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { createKafka, createProducer, ensureTopics, loadKafkaConfig, TOPIC_SPECS, TOPICS, type LoggerLike } from '@wiber/kafka';
import { connectMongo, loadMongoConfig } from '@wiber/mongo';
import { RegistryCodec, schemas } from '@wiber/schema';
import { BROKERS, MONGO_URI, REPO_ROOT, SCHEMA_REGISTRY_URL, waitFor } from '@wiber/testing';
import { startGateway, startIngestConsumer, type RunningApp, type StackEnv } from './children';
import { stackProcesses } from './cpu';
import { runEndToEnd } from './end-to-end';
import { histogramDelta, readHistogram, type HistogramSnapshot } from './metrics-text';
import { runHttpLoad } from './gateway-load';
import { produceAll, runMongoCeiling, toDocuments, watchIngest, type IngestWatchResult, type MongoCeilingResult } from './ingest';
import { loadAverages, machineFacts, waitForQuiet } from './machine';
import { benchProgram, type BenchOptions } from './options';
import { runProducerCeiling } from './producer-ceiling';
import { runReadCost, type ReadCostResult } from './read-cost';
import { toRecords } from './records';
import { renderReport, spliceSection, type BenchReport, type EndToEndRun } from './report';
import { makeRequests, toChatMessage } from './workload';

const started = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};
const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** Private topics, groups and databases, removed at the end (unless --keep). */
class Scratch {
  private readonly undo: Array<{ what: string; run: () => Promise<unknown> }> = [];

  add(what: string, run: () => Promise<unknown>): void {
    this.undo.push({ what, run });
  }

  async clean(): Promise<void> {
    for (const step of this.undo.reverse()) {
      await step.run().catch((error: unknown) => log(`cleanup: ${step.what} failed: ${String(error)}`));
    }
  }
}

function privateTopicSpec(name: string) {
  const messages = TOPIC_SPECS.find((spec) => spec.name === TOPICS.messages);
  if (messages === undefined) throw new Error(`no spec for ${TOPICS.messages}`);
  return { ...messages, name };
}

/** Removes a schema-registry subject the run created (soft, then permanent); best effort. */
async function deleteSubject(subject: string): Promise<void> {
  const url = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(subject)}`;
  await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
  await fetch(`${url}?permanent=true`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
}

async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

async function run(options: BenchOptions, command: string): Promise<BenchReport> {
  const runId = `bench${Date.now().toString(36)}`;
  const stack: StackEnv = { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL, MONGO_URI };
  const kafka = createKafka(loadKafkaConfig('wiber-bench', { ...stack }), quiet);
  const admin = kafka.admin();
  await admin.connect();
  const codec = new RegistryCodec({ url: SCHEMA_REGISTRY_URL });
  await codec.registerValueSchema(TOPICS.messages, schemas().chatMessage);
  const mongo = await connectMongo(loadMongoConfig('wiber-bench', { MONGO_URI, MONGO_DATABASE: `${runId}_ceiling` }));
  const producer = createProducer(kafka);
  await producer.connect();
  const scratch = new Scratch();
  const apps: RunningApp[] = [];
  const cleanupLater = (what: string, undo: () => Promise<unknown>) => {
    if (!options.keep) scratch.add(what, undo);
  };

  try {
    const partitions = await partitionCount(kafka, TOPICS.messages);
    const requests = makeRequests({ count: 20_000, users: 500, contentChars: [80, 160], seed: 1, userPrefix: `${runId}-` });
    const records = toRecords(codec, requests.map((r) => toChatMessage(r, Date.now())), partitions);
    const meanValueBytes = records.reduce((sum, r) => sum + r.value.length, 0) / records.length;
    log(`run ${runId}: ${records.length} distinct payloads, mean Avro value ${meanValueBytes.toFixed(0)} bytes, ${partitions} partitions`);

    // (a) the ceiling: a bare kafkajs producer, same payloads, a private topic shaped like wiber.messages
    const ceilingTopic = `${runId}.ceiling`;
    await ensureTopics(kafka, [privateTopicSpec(ceilingTopic)]);
    cleanupLater(`delete topic ${ceilingTopic}`, () => admin.deleteTopics({ topics: [ceilingTopic] }));
    const ceilingRun = (durationMs: number) =>
      runProducerCeiling({ producer, topic: ceilingTopic, records, batchSize: options.ceilingBatch, durationMs, maxRecords: options.ceilingMaxRecords });
    log(`bare producer: warm-up ${options.warmup} s, then ${options.duration} s`);
    if (options.warmup > 0) await ceilingRun(options.warmup * 1000);
    const producerCeiling = await ceilingRun(options.duration * 1000);
    log(`bare producer: ${producerCeiling.perSecond.toFixed(0)} records/s`);

    // (a) the gateway, batching off then on, same payloads (as HTTP requests), same cluster; it produces to a
    // private topic shaped like wiber.messages (GATEWAY_TOPIC), which the end-to-end run's ingest-consumer reads
    const gatewayTopic = `${runId}.gateway`;
    await ensureTopics(kafka, [privateTopicSpec(gatewayTopic)]);
    cleanupLater(`delete topic ${gatewayTopic}`, () => admin.deleteTopics({ topics: [gatewayTopic] }));
    cleanupLater(`delete subject ${gatewayTopic}-value`, () => deleteSubject(`${gatewayTopic}-value`));
    const gatewayDb = `${runId}_gateway`;
    cleanupLater(`drop database ${gatewayDb}`, () => mongo.client.db(gatewayDb).dropDatabase());
    const variants: Array<{ label: string; env: Record<string, string> }> = [
      { label: 'batching off (PRODUCE_MAX_BATCH=1)', env: { PRODUCE_MAX_BATCH: '1' } },
      { label: 'batching on (defaults: PRODUCE_LINGER_MS=0, PRODUCE_MAX_BATCH=500)', env: {} },
    ];
    if (options.lingerVariant !== undefined) {
      variants.push({ label: `batching on, PRODUCE_LINGER_MS=${options.lingerVariant}`, env: { PRODUCE_LINGER_MS: String(options.lingerVariant) } });
    }
    const gateways: BenchReport['gateways'] = [];
    let e2eGateway: RunningApp | undefined;
    for (const [i, variant] of variants.entries()) {
      log(`gateway ${variant.label}: starting`);
      const gateway = await startGateway(stack, { ...variant.env, GATEWAY_TOPIC: gatewayTopic, MONGO_DATABASE: gatewayDb, INSTANCE_ID: `${runId}-gw${i}` });
      apps.push(gateway);
      for (const connections of options.connections) {
        const load = (durationS: number) => runHttpLoad({ gateway, requests, connections, durationS, maxRequests: options.maxRequests });
        if (options.warmup > 0) await load(options.warmup);
        const result = await load(options.duration);
        gateways.push({ label: variant.label, env: variant.env, connections, result });
        log(`gateway ${variant.label}, ${connections} connections: ${result.acceptedPerSecond.toFixed(0)} accepted/s, p99 ${result.latencyMs.p99} ms, ${result.non2xx} non-2xx`);
      }
      if (i === 1) e2eGateway = gateway;
      else await gateway.stop();
    }

    // (b) end to end at a fixed rate, through the batched gateway and a real ingest-consumer
    let endToEnd: BenchReport['endToEnd'];
    if (options.e2e && e2eGateway !== undefined) {
      const group = `${runId}.e2e`;
      // the group starts at the end of the gateway's topic: the throughput runs' records are not the subject here
      const ends = await admin.fetchTopicOffsets(gatewayTopic);
      await admin.setOffsets({ groupId: group, topic: gatewayTopic, partitions: ends.map((o) => ({ partition: o.partition, offset: o.high })) });
      const ingest = await startIngestConsumer(stack, {
        MONGO_DATABASE: gatewayDb,
        INGEST_TOPIC: gatewayTopic,
        INGEST_GROUP_ID: group,
        INGEST_INSTANCE_ID: `${runId}-e2e`,
      });
      apps.push(ingest);
      cleanupLater(`delete group ${group}`, () => admin.deleteGroups([group]));
      const e2e = (rate: number, seconds: number, prefix: string, readEvery: number) =>
        runEndToEnd({
          gatewayUrl: e2eGateway.url,
          rate,
          seconds,
          userPrefix: `${runId}-${prefix}`,
          content: (i) => (requests[i % requests.length] as { content: string }).content,
          readEvery,
          pollMs: options.e2ePollMs,
          maxConcurrentGets: options.e2eMaxGets,
          giveUpMs: 30_000,
          cpuOf: { ingest: ingest.app.pid, gateway: e2eGateway.app.pid, ...stackProcesses() },
        });
      const storedLatency = async (): Promise<HistogramSnapshot> =>
        readHistogram(await (await fetch(`${ingest.url}/metrics`)).text(), 'wiber_ingest_end_to_end_latency_seconds');
      const timed = async (readEvery: number, prefix: string): Promise<EndToEndRun> => {
        const before = await storedLatency();
        const result = await e2e(options.e2eRate, options.e2eSeconds, prefix, readEvery);
        // the consumer observes each newly stored message once: wait until it has seen them all
        const after = await waitFor('the ingest-consumer to store every accepted message', async () => {
          const now = await storedLatency();
          return now.count - before.count >= result.accepted ? now : undefined;
        }, 60_000, 250).catch(() => storedLatency());
        return { result, stored: histogramDelta(before, after) };
      };
      log('end to end: warm-up');
      await e2e(10, 2, 'w', 1);
      // reads first: a GET scans the collection on FerretDB, so it is cheapest while the collection is small
      log(`end to end, with reads: ${options.e2eRate} msg/s for ${options.e2eSeconds} s`);
      const withReads = await timed(options.e2eReadEvery, 'r');
      log(`end to end, sending only: ${options.e2eRate} msg/s for ${options.e2eSeconds} s`);
      const sendOnly = await timed(0, 's');
      endToEnd = { sendOnly, withReads };
      log(`end to end: readable p50 ${withReads.result.endToEndMs.p50.toFixed(0)} ms, p99 ${withReads.result.endToEndMs.p99.toFixed(0)} ms`);
      await ingest.stop();
    }
    await e2eGateway?.stop();

    // (b') what a GET costs as the collection grows (the local stack's FerretDB)
    let readCost: ReadCostResult | undefined;
    if (options.readCost) {
      const readDb = `${runId}_read`;
      cleanupLater(`drop database ${readDb}`, () => mongo.client.db(readDb).dropDatabase());
      const gateway = await startGateway(stack, { GATEWAY_TOPIC: gatewayTopic, MONGO_DATABASE: readDb, INSTANCE_ID: `${runId}-read` });
      apps.push(gateway);
      log('read cost: GET latency against collection size');
      readCost = await runReadCost(gateway.url, mongo.client.db(readDb), toDocuments(records, TOPICS.messages), [0, 250, 1000, 4000], 20);
      log(`read cost: ${readCost.steps.map((step) => `${step.documents} docs ${step.getMs.p50.toFixed(0)} ms`).join(', ')}`);
      await gateway.stop();
    }

    // (c) ingest vs a bare bulk insert of the same documents
    let ingest: { consumer: IngestWatchResult; ceilings: MongoCeilingResult[] } | undefined;
    if (options.ingest) {
      const topic = `${runId}.ingest`;
      const ingestDb = `${runId}_ingest`;
      const count = Math.min(options.ingestMessages, requests.length);
      await ensureTopics(kafka, [privateTopicSpec(topic)]);
      cleanupLater(`delete topic ${topic}`, () => admin.deleteTopics({ topics: [topic] }));
      cleanupLater(`drop database ${ingestDb}`, () => mongo.client.db(ingestDb).dropDatabase());
      const ingestRecords = toRecords(codec, requests.slice(0, count).map((r) => toChatMessage(r, Date.now())), partitions);
      log(`ingest: writing ${count} records to ${topic}`);
      await produceAll(producer, topic, ingestRecords, options.ceilingBatch);
      const group = `${runId}.ingest`;
      const consumer = await startIngestConsumer(stack, { MONGO_DATABASE: ingestDb, INGEST_TOPIC: topic, INGEST_GROUP_ID: group, INGEST_INSTANCE_ID: `${runId}-ingest` });
      apps.push(consumer);
      cleanupLater(`delete group ${group}`, () => admin.deleteGroups([group]));
      const watched = await watchIngest(`${consumer.url}/metrics`, mongo.client.db(ingestDb), count, { ingest: consumer.app.pid, ...stackProcesses() });
      log(`ingest: ${watched.perSecond.toFixed(0)} documents/s, ${watched.stored} stored`);
      await consumer.stop();

      const documents = toDocuments(ingestRecords, topic);
      const ceilings: MongoCeilingResult[] = [];
      for (const chunk of [options.ingestChunk, count]) {
        const db = `${runId}_bulk${chunk}`;
        cleanupLater(`drop database ${db}`, () => mongo.client.db(db).dropDatabase());
        const result = await runMongoCeiling(mongo.client.db(db), documents, chunk);
        log(`bare insertMany, ${chunk} per call: ${result.perSecond.toFixed(0)} documents/s`);
        ceilings.push(result);
      }
      ingest = { consumer: watched, ceilings };
    }

    return {
      command,
      startedAt: new Date(started).toISOString(),
      elapsedS: (Date.now() - started) / 1000,
      machine: { ...machineFacts(), loadBefore: [], loadAfter: loadAverages() },
      settings: {
        durationS: options.duration,
        warmupS: options.warmup,
        connections: options.connections.join(','),
        maxRequests: options.maxRequests,
        ceilingBatch: options.ceilingBatch,
        ceilingMaxRecords: options.ceilingMaxRecords,
        meanAvroValueBytes: Math.round(meanValueBytes),
        e2eRate: options.e2eRate,
        e2eSeconds: options.e2eSeconds,
        e2ePollMs: options.e2ePollMs,
        e2eReadEvery: options.e2eReadEvery,
        e2eMaxGets: options.e2eMaxGets,
        ingestMessages: options.ingestMessages,
      },
      producerCeiling,
      gateways,
      endToEnd,
      readCost,
      ingest,
    };
  } finally {
    for (const app of apps) await app.app.ensureStopped().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await scratch.clean();
    await admin.disconnect().catch(() => undefined);
    await mongo.client.close().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const options = benchProgram().parse(process.argv).opts<BenchOptions>();
  const command = `npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  const wasQuiet = await waitForQuiet(options.maxLoad, options.quietWait, log);
  const loadBefore = loadAverages();
  log(`load average before: ${loadBefore.join(' / ')}${wasQuiet ? '' : ' (above --max-load)'}`);
  const report = await run(options, command);
  report.machine.loadBefore = loadBefore;
  const out = resolve(REPO_ROOT, options.out);
  let existing = '';
  try {
    existing = readFileSync(out, 'utf8');
  } catch {
    existing = '# Benchmarks\n';
  }
  const section = renderReport(report);
  writeFileSync(out, spliceSection(existing, section));
  process.stdout.write(`${section}\n`);
  log(`written to ${out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
