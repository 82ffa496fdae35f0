import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, ensureTopics, loadKafkaConfig, TOPICS } from '@wiber/kafka';
import { connectMongo, loadMongoConfig, MESSAGES_COLLECTION } from '@wiber/mongo';
import { BROKERS, loadAverages, machineFacts, MONGO_URI, REPO_ROOT, SCHEMA_REGISTRY_URL } from '@wiber/testing';
import { startGateway, startIngestConsumer, startLeaderMetrics, type RunningApp, type StackEnv } from './children';
import { CpuMeter, stackProcesses } from './cpu';
import { spliceMarked } from './report';
import { deleteSubject, privateTopicSpec, quietLogger, Scratch } from './scratch';
import { countErrorLines, lagCheck, lagOf, memoryVerdict, type Check, type SoakSample } from './soak-checks';
import { soakProgram, type SoakOptions } from './soak-options';
import { renderSoak, SOAK_BEGIN, SOAK_END } from './soak-report';
import { OpenLoopSender } from './soak-sender';

const started = Date.now();
const log = (line: string): void => {
  process.stderr.write(`[soak ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
};

/** VmRSS of a process in MiB, from /proc/<pid>/status; NaN when it is gone. */
function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line === undefined ? Number.NaN : Number(line.replace(/\D+/g, '')) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Child apps of the run, so an interrupted soak (Ctrl-C, timeout) does not leave them running. */
const children: RunningApp[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the apps; the run's private topics, groups and database are left behind`);
    void Promise.all(children.map((c) => c.app.ensureStopped())).finally(() => process.exit(1));
  });
}

async function soak(options: SoakOptions, command: string): Promise<{ report: string; passed: boolean }> {
  const runId = `soak${Date.now().toString(36)}`;
  const stack: StackEnv = { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL, MONGO_URI };
  const kafka = createKafka(loadKafkaConfig('wiber-soak', { ...stack }), quietLogger);
  const admin = kafka.admin();
  await admin.connect();
  const mongo = await connectMongo(loadMongoConfig('wiber-soak', { MONGO_URI, MONGO_DATABASE: `${runId}` }));
  const scratch = new Scratch(options.keep, log);
  const apps: Array<{ name: string; app: RunningApp }> = [];
  const names = {
    topic: `${runId}.messages`,
    dlq: `${runId}.dlq`,
    ingestGroup: `${runId}.ingest`,
    leaderGroup: `${runId}.leader`,
    election: `${runId}.election`,
    metrics: `${runId}.metrics`,
    database: runId,
  };
  try {
    await ensureTopics(kafka, [privateTopicSpec(names.topic), privateTopicSpec(names.dlq, TOPICS.messagesDlq)]);
    for (const topic of [names.topic, names.dlq, names.election, names.metrics]) scratch.add(`delete topic ${topic}`, () => admin.deleteTopics({ topics: [topic] }));
    for (const topic of [names.topic, names.dlq, names.metrics]) scratch.add(`delete subject ${topic}-value`, () => deleteSubject(`${topic}-value`));
    for (const group of [names.ingestGroup, names.leaderGroup]) scratch.add(`delete group ${group}`, () => admin.deleteGroups([group]));
    scratch.add(`drop database ${names.database}`, () => mongo.client.db(names.database).dropDatabase());

    log('starting gateway, ingest-consumer and leader-metrics');
    const info = { LOG_LEVEL: 'info', MONGO_DATABASE: names.database };
    const [gateway, ingest, leader] = await Promise.all([
      startGateway(stack, { ...info, GATEWAY_TOPIC: names.topic, INSTANCE_ID: `${runId}-gateway` }),
      startIngestConsumer(stack, { ...info, INGEST_TOPIC: names.topic, INGEST_DLQ_TOPIC: names.dlq, INGEST_GROUP_ID: names.ingestGroup, INGEST_INSTANCE_ID: `${runId}-ingest` }),
      startLeaderMetrics(stack, {
        ...info,
        LEADER_INSTANCE_ID: `${runId}-leader`,
        LEADER_GROUP_ID: names.leaderGroup,
        LEADER_ELECTION_TOPIC: names.election,
        LEADER_METRICS_TOPIC: names.metrics,
        LEADER_MESSAGES_TOPIC: names.topic,
        LEADER_DLQ_TOPIC: names.dlq,
        LEADER_INGEST_GROUP_ID: names.ingestGroup,
        LEADER_REPLAYER_GROUP_ID: `${runId}.replayer`,
      }),
    ]);
    apps.push({ name: 'gateway', app: gateway }, { name: 'ingest-consumer', app: ingest }, { name: 'leader-metrics', app: leader });
    children.push(gateway, ingest, leader);

    const lag = async (): Promise<number> => {
      const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(names.topic), admin.fetchOffsets({ groupId: names.ingestGroup, topics: [names.topic] })]);
      return lagOf(ends, committed.find((t) => t.topic === names.topic)?.partitions ?? []);
    };
    const sender = new OpenLoopSender({ gatewayUrl: gateway.url, rate: options.rate, contentChars: options.contentBytes, users: 1000, userPrefix: `${runId}-`, maxInFlight: 1000 });
    const sample = async (atS: number): Promise<SoakSample> => ({
      atS,
      lag: await lag(),
      rssMiB: Object.fromEntries(apps.map(({ name, app }) => [name, rssMiB(app.app.pid)])),
      errors: Object.fromEntries(apps.map(({ name, app }) => [name, countErrorLines(app.app.stdout)])),
      accepted: sender.stats.accepted,
    });

    const samples: SoakSample[] = [];
    const cpu = new CpuMeter({ ...Object.fromEntries(apps.map(({ name, app }) => [name, app.app.pid])), 'soak (sender)': process.pid, ...stackProcesses() }).start();
    const durationS = options.minutes * 60;
    log(`sending ${options.rate} msg/s for ${options.minutes} min; a sample every ${options.sampleSeconds} s`);
    samples.push(await sample(0));
    sender.start();
    const t0 = performance.now();
    for (let next = options.sampleSeconds; next <= durationS; next += options.sampleSeconds) {
      await sleep(Math.max(0, t0 + next * 1000 - performance.now()));
      const s = await sample(Math.round((performance.now() - t0) / 100) / 10);
      samples.push(s);
      log(`${s.atS.toFixed(0)} s: accepted ${s.accepted}, lag ${s.lag}, RSS ${Object.entries(s.rssMiB).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' / ')} MiB, error lines ${Object.values(s.errors).reduce((a, b) => a + b, 0)}`);
    }
    await sender.stop();
    const sendingS = (performance.now() - t0) / 1000;
    const usage = cpu.stop();
    log(`sent ${sender.stats.sent}, accepted ${sender.stats.accepted}; draining`);

    // drain: the ingest-consumer stores what is left (lag 0)
    const drainStart = performance.now();
    let finalLag = await lag();
    while (finalLag > 0 && performance.now() - drainStart < options.drainSeconds * 1000) {
      await sleep(500);
      finalLag = await lag();
    }
    const drainS = (performance.now() - drainStart) / 1000;
    // one batch: with the default batches, reading 30,000 ids from FerretDB did not finish within 4 minutes
    const storedIds = new Set(
      (
        await mongo.client
          .db(names.database)
          .collection(MESSAGES_COLLECTION)
          .find({}, { projection: { _id: 0, messageId: 1 }, batchSize: 1_000_000 })
          .toArray()
      ).map((d) => String(d['messageId'])),
    );
    log(`${storedIds.size} documents read back`);
    const missing = sender.stats.acceptedIds.filter((id) => !storedIds.has(id));
    const errorsAtEnd = Object.fromEntries(apps.map(({ name, app }) => [name, countErrorLines(app.app.stdout)]));
    const errorExamples = apps.flatMap(({ name, app }) =>
      app.app.stdout
        .split('\n')
        .filter((l) => l.includes('"level":"error"'))
        .slice(0, 3)
        .map((l) => `${name}: ${l.slice(0, 300)}`),
    );

    const lagBound = Math.ceil(options.rate * options.maxLagSeconds);
    const memory = apps.map(({ name }) => memoryVerdict(name, samples, options.warmupSeconds, options.rssSlackMib, options.maxSlopeMib));
    const rejected = Object.values(sender.stats.rejected).reduce((a, b) => a + b, 0);
    const checks: Check[] = [
      {
        name: 'rate held, every request accepted',
        passed: sender.stats.skipped === 0 && sender.stats.failed === 0 && rejected === 0,
        detail: `${sender.stats.sent} sent in ${sendingS.toFixed(0)} s (${(sender.stats.sent / sendingS).toFixed(1)}/s), ${sender.stats.accepted} accepted (202), ${rejected} other answers ${JSON.stringify(sender.stats.rejected)}, ${sender.stats.failed} without answer ${JSON.stringify(sender.stats.failures)}, ${sender.stats.skipped} not sent (over 1000 in flight)`,
      },
      lagCheck(samples, lagBound),
      { name: 'lag drained after sending', passed: finalLag === 0, detail: `lag ${finalLag} after ${drainS.toFixed(1)} s (limit ${options.drainSeconds} s)` },
      ...memory.map((m) => ({
        name: `memory flat: ${m.app}`,
        passed: m.flat,
        detail: `RSS ${m.startMiB.toFixed(0)} MiB at the first sample, ${m.afterWarmupMiB.toFixed(0)} after the warm-up, ${m.endMiB.toFixed(0)} at the end (medians of three); slope ${m.slopeMiBPerMin.toFixed(2)} MiB/min`,
      })),
      ...apps.map(({ name }) => ({ name: `no error logs: ${name}`, passed: errorsAtEnd[name] === 0, detail: `${errorsAtEnd[name]} error-level lines` })),
      {
        name: 'every acknowledged message stored',
        passed: missing.length === 0 && sender.stats.accepted > 0,
        detail: `${sender.stats.accepted - missing.length} of ${sender.stats.accepted} acknowledged messageIds found in Mongo (${storedIds.size} documents)${missing.length > 0 ? `; missing e.g. ${missing.slice(0, 3).join(', ')}` : ''}`,
      },
    ];
    const passed = checks.every((c) => c.passed);
    const report = renderSoak({
      command,
      startedAt: new Date(started).toISOString(),
      machine: machineFacts(),
      loadAfter: loadAverages(),
      options,
      lagBound,
      samples,
      checks,
      cpu: usage,
      errorExamples,
      passed,
    });
    return { report, passed };
  } finally {
    for (const { app } of apps) await app.stop().catch(() => app.app.ensureStopped());
    await scratch.clean();
    await admin.disconnect().catch(() => undefined);
    await mongo.client.close().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const options = soakProgram().parse(process.argv).opts<SoakOptions>();
  const command = `npm run soak${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  const { report, passed } = await soak(options, command);
  const out = resolve(REPO_ROOT, options.out);
  let existing = '';
  try {
    existing = readFileSync(out, 'utf8');
  } catch {
    existing = '# Benchmarks\n';
  }
  writeFileSync(out, spliceMarked(existing, report, SOAK_BEGIN, SOAK_END));
  process.stdout.write(`${report}\n`);
  log(`written to ${out}; ${passed ? 'all checks passed' : 'A CHECK FAILED'}`);
  process.exit(passed ? 0 : 1);
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
