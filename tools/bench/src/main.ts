import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createKafka, createProducer, ensureTopics, loadKafkaConfig, TOPICS } from '@wiber/kafka';
import { connectMongo, loadMongoConfig } from '@wiber/mongo';
import { RegistryCodec, schemas } from '@wiber/schema';
import { BROKERS, loadAverages, machineFacts, MONGO_URI, REPO_ROOT, SCHEMA_REGISTRY_URL } from '@wiber/testing';
import { commitOf, exportAppAt } from './baseline';
import { startGateway, startIngestConsumer, type RunningApp, type StackEnv } from './children';
import { runEndToEndForSize, type SizeEndToEnd } from './e2e-phase';
import { toDocuments } from './ingest';
import { runIngestForSize, type SizeIngest } from './ingest-phase';
import { waitForQuiet } from './machine';
import { benchProgram, type BenchOptions } from './options';
import { sizedPayloads, type SizedPayloads } from './payloads';
import { runReadCost, type ReadCostResult } from './read-cost';
import { renderReport, spliceSection, type BenchReport } from './report';
import { deleteSubject, partitionCount, privateTopicSpec, quietLogger, Scratch } from './scratch';
import { runThroughputForSize, type SizeThroughput } from './throughput-phase';
import { pickVariants } from './variants';

const started = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};

/** The gateway's default PRODUCE_MAX_BATCH_BYTES: the bare producer puts no more bytes in one send. */
const GATEWAY_MAX_BATCH_BYTES = 512 * 1024;

async function run(options: BenchOptions, command: string): Promise<BenchReport> {
  const runStarted = Date.now();
  const runId = `bench${runStarted.toString(36)}`;
  const stack: StackEnv = { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL, MONGO_URI };
  // a variant at a git ref is labelled with the commit it ran
  const variants = pickVariants(options.variants).map((v) =>
    v.ref === undefined ? v : { ...v, ref: options.baselineRef, label: `${v.label.replace('HEAD', options.baselineRef)}, commit ${commitOf(options.baselineRef)}` },
  );
  const kafka = createKafka(loadKafkaConfig('wiber-bench', { ...stack }), quietLogger);
  const admin = kafka.admin();
  await admin.connect();
  const codec = new RegistryCodec({ url: SCHEMA_REGISTRY_URL });
  await codec.registerValueSchema(TOPICS.messages, schemas().chatMessage);
  const mongo = await connectMongo(loadMongoConfig('wiber-bench', { MONGO_URI, MONGO_DATABASE: `${runId}_ceiling` }));
  const producer = createProducer(kafka);
  await producer.connect();
  const scratch = new Scratch(options.keep, log);
  const apps: RunningApp[] = [];

  try {
    const partitions = await partitionCount(kafka, TOPICS.messages);
    const payloads: SizedPayloads[] = options.sizes.map((size) => sizedPayloads(codec, size, partitions, `${runId}-${size}-`));
    for (const p of payloads) log(`${p.size} B: ${p.records.length} distinct payloads, mean content ${p.meanContentBytes.toFixed(0)} B, mean Avro value ${p.meanValueBytes.toFixed(0)} B`);

    // (a) throughput: the bare producer and every gateway variant (all running, loaded in turn), per size
    const ceilingTopic = `${runId}.ceiling`;
    const gatewayTopic = `${runId}.gateway`;
    const gatewayDb = `${runId}_gateway`;
    await ensureTopics(kafka, [privateTopicSpec(ceilingTopic), privateTopicSpec(gatewayTopic)]);
    scratch.add(`delete topic ${ceilingTopic}`, () => admin.deleteTopics({ topics: [ceilingTopic] }));
    scratch.add(`delete topic ${gatewayTopic}`, () => admin.deleteTopics({ topics: [gatewayTopic] }));
    scratch.add(`delete subject ${gatewayTopic}-value`, () => deleteSubject(`${gatewayTopic}-value`));
    scratch.add(`drop database ${gatewayDb}`, () => mongo.client.db(gatewayDb).dropDatabase());
    log(`gateways: starting ${variants.map((v) => v.key).join(', ')}`);
    const gateways = await Promise.all(
      variants.map(async (variant, i) => {
        const appDir = variant.ref === undefined ? 'apps/gateway' : exportAppAt(variant.ref, 'apps/gateway');
        const app = await startGateway(stack, { ...variant.env, GATEWAY_TOPIC: gatewayTopic, MONGO_DATABASE: gatewayDb, INSTANCE_ID: `${runId}-gw${i}` }, appDir);
        apps.push(app);
        return { variant, app };
      }),
    );
    const throughput: SizeThroughput[] = [];
    for (const p of payloads) {
      throughput.push(
        await runThroughputForSize(
          p,
          producer,
          ceilingTopic,
          gateways,
          {
            durationS: options.duration,
            warmupS: options.warmup,
            connections: options.connections,
            maxRequests: options.maxRequests,
            ceilingBatch: options.ceilingBatch,
            ceilingMaxRecords: options.ceilingMaxRecords,
            maxBatchBytes: GATEWAY_MAX_BATCH_BYTES,
          },
          log,
        ),
      );
    }
    const e2eGateway = gateways.find((g) => g.variant.key === 'default') ?? gateways[gateways.length - 1];
    for (const g of gateways) if (g !== e2eGateway) await g.app.stop();

    // (b) end to end at a fixed rate, per size, through the default gateway and a real ingest-consumer
    let endToEnd: SizeEndToEnd[] | undefined;
    if (options.e2e && e2eGateway !== undefined) {
      const group = `${runId}.e2e`;
      // the group starts at the end of the gateway's topic: the throughput runs' records are not the subject here
      const ends = await admin.fetchTopicOffsets(gatewayTopic);
      await admin.setOffsets({ groupId: group, topic: gatewayTopic, partitions: ends.map((o) => ({ partition: o.partition, offset: o.high })) });
      scratch.add(`delete group ${group}`, () => admin.deleteGroups([group]));
      const ingest = await startIngestConsumer(stack, { MONGO_DATABASE: gatewayDb, INGEST_TOPIC: gatewayTopic, INGEST_GROUP_ID: group, INGEST_INSTANCE_ID: `${runId}-e2e` });
      apps.push(ingest);
      endToEnd = [];
      for (const p of payloads) {
        log(`${p.size} B: end to end, ${options.e2eRate} msg/s for ${options.e2eSeconds} s`);
        const result = await runEndToEndForSize(
          p,
          e2eGateway.app,
          ingest,
          mongo.client.db(gatewayDb),
          { rate: options.e2eRate, seconds: options.e2eSeconds, readEvery: options.e2eReadEvery, pollMs: options.e2ePollMs, maxGets: options.e2eMaxGets },
          `${runId}-e${p.size}-`,
        );
        endToEnd.push(result);
        log(`${p.size} B: stored mean ${((result.run.stored.sum / Math.max(1, result.run.stored.count)) * 1000).toFixed(1)} ms, readable p50 ${result.run.result.endToEndMs.p50.toFixed(0)} ms`);
      }
      await ingest.stop();
    }
    await e2eGateway?.app.stop();

    // (b') what a GET costs as the collection grows (the local stack's FerretDB), 100 B-ish messages
    let readCost: ReadCostResult | undefined;
    const smallest = payloads.reduce<SizedPayloads | undefined>((a, p) => (a === undefined || p.size < a.size ? p : a), undefined);
    if (options.readCost && smallest !== undefined) {
      const readDb = `${runId}_read`;
      scratch.add(`drop database ${readDb}`, () => mongo.client.db(readDb).dropDatabase());
      const gateway = await startGateway(stack, { GATEWAY_TOPIC: gatewayTopic, MONGO_DATABASE: readDb, INSTANCE_ID: `${runId}-read` });
      apps.push(gateway);
      log('read cost: GET latency against collection size');
      readCost = await runReadCost(gateway.url, mongo.client.db(readDb), toDocuments(smallest.records, TOPICS.messages), [0, 250, 1000, 4000], 20);
      log(`read cost: ${readCost.steps.map((step) => `${step.documents} docs ${step.getMs.p50.toFixed(0)} ms`).join(', ')}`);
      await gateway.stop();
    }

    // (c) ingest (1 and 2 instances) vs a bare bulk insert of the same documents, per size
    let ingest: SizeIngest[] | undefined;
    if (options.ingest) {
      ingest = [];
      const ctx = { kafka, admin, producer, codec, mongo: mongo.client, stack, partitions, runId, scratch, apps, log };
      for (const p of payloads) {
        ingest.push(
          await runIngestForSize(ctx, p, {
            maxMessages: options.ingestMessages,
            budgetBytes: options.ingestMib * 1024 * 1024,
            instances: options.ingestInstances,
            chunk: options.ingestChunk,
            maxBatchBytes: GATEWAY_MAX_BATCH_BYTES,
          }),
        );
      }
    }

    return {
      command,
      startedAt: new Date(runStarted).toISOString(),
      // not counting the wait for a quiet machine
      elapsedS: (Date.now() - runStarted) / 1000,
      machine: { ...machineFacts(), loadBefore: [], loadAfter: loadAverages() },
      settings: {
        sizes: options.sizes.join(','),
        durationS: options.duration,
        warmupS: options.warmup,
        connections: options.connections.join(','),
        maxRequests: options.maxRequests,
        ceilingBatch: options.ceilingBatch,
        ceilingMaxRecords: options.ceilingMaxRecords,
        e2eRate: options.e2eRate,
        e2eSeconds: options.e2eSeconds,
        e2ePollMs: options.e2ePollMs,
        e2eReadEvery: options.e2eReadEvery,
        e2eMaxGets: options.e2eMaxGets,
        ingestMessages: options.ingestMessages,
        ingestMib: options.ingestMib,
        ingestInstances: options.ingestInstances.join(','),
      },
      variants,
      throughput,
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
