import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { createKafka, ensureTopics, loadKafkaConfig, TOPIC_SPECS, TOPICS, type LoggerLike } from '@wiber/kafka';
import { BROKERS, freePort, MONGO_URI, REPO_ROOT, SCHEMA_REGISTRY_URL, waitFor } from '@wiber/testing';
import type { RunningApp } from './children';
import { runHttpLoad } from './gateway-load';
import { contentRange } from './sizes';
import { makeRequests } from './workload';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

interface ProfileOptions {
  connections: number;
  seconds: number;
  size: number;
  dir: string;
  env: string[];
}

/** `node --cpu-prof` is not allowed in NODE_OPTIONS, so the gateway is spawned here rather than by AppProcess. */
async function startProfiledGateway(dir: string, env: Record<string, string>): Promise<RunningApp & { exited: Promise<number | null> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', 'apps/gateway/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env, GATEWAY_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the profiled gateway to be ready', async () => (await fetch(`${url}/health/readiness`)).status === 200, 90_000, 250);
  const app = { pid: child.pid } as RunningApp['app'];
  return {
    app,
    url,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A one-off, not part of `npm run bench`: runs the gateway under `node --cpu-prof` and loads it
 * with autocannon, then stops it so the profile is written. Read the profile with
 * `tsx tools/bench/src/profile-summary.ts <file>` or Chrome DevTools.
 */
async function main(): Promise<void> {
  const options = new Command('profile-gateway')
    .description('CPU-profiles the gateway under closed-loop load on the running stack (a one-off; writes a .cpuprofile)')
    .option('--connections <n>', 'HTTP connections', (v) => Number(v), 256)
    .option('--seconds <s>', 'seconds of load', (v) => Number(v), 15)
    .option('--size <bytes>', 'message content bytes', (v) => Number(v), 100)
    .option('--dir <dir>', 'where the profile goes', '/tmp/wiber-gateway-profile')
    .option('--env <NAME=value...>', 'extra gateway environment', [])
    .parse(process.argv)
    .opts<ProfileOptions>();
  const runId = `prof${Date.now().toString(36)}`;
  const topic = `${runId}.gateway`;
  const kafka = createKafka(loadKafkaConfig('wiber-profile', { KAFKA_BROKERS: BROKERS, SCHEMA_REGISTRY_URL }), quiet);
  const spec = TOPIC_SPECS.find((s) => s.name === TOPICS.messages);
  if (spec === undefined) throw new Error('no spec');
  await ensureTopics(kafka, [{ ...spec, name: topic }]);
  mkdirSync(options.dir, { recursive: true });
  const extra = Object.fromEntries(options.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  const gateway = await startProfiledGateway(options.dir, {
    KAFKA_BROKERS: BROKERS,
    SCHEMA_REGISTRY_URL,
    MONGO_URI,
    LOG_LEVEL: 'warn',
    GATEWAY_TOPIC: topic,
    MONGO_DATABASE: `${runId}_db`,
    ...extra,
  });
  const admin = kafka.admin();
  try {
    const requests = makeRequests({ count: 2000, users: 500, contentChars: contentRange(options.size), seed: 1, userPrefix: `${runId}-` });
    await runHttpLoad({ gateway, requests, connections: options.connections, durationS: 3, maxRequests: 1_000_000 });
    const result = await runHttpLoad({ gateway, requests, connections: options.connections, durationS: options.seconds, maxRequests: 1_000_000 });
    process.stdout.write(
      `${result.acceptedPerSecond.toFixed(0)} accepted/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
        `gateway CPU ${Math.round(result.cpu.processes['gateway'] ?? 0)} %, ${result.recordsPerSend.toFixed(1)} records/send, non-2xx ${result.non2xx}\n`,
    );
  } finally {
    await gateway.stop();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  const profiles = readdirSync(options.dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  process.stdout.write(`profiles in ${options.dir}: ${profiles.map((f) => join(options.dir, f)).join(', ')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
