import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { allComponents } from './components';
import { PROMETHEUS_URL } from './components/prometheus';
import { REGISTRY_URL } from './components/registry';
import { REPO_ROOT, stackPaths } from './paths';
import { messageOf, up } from './stack';
import { ensureDesignTopics } from './topic-status';

interface AppInstance {
  label: string;
  env: Record<string, string>;
  url: string;
}

interface AppSpec {
  dir: string;
  instances: AppInstance[];
}

/** What `npm start` runs, with the design's ports (apps that do not exist yet are skipped). */
const APPS: AppSpec[] = [
  {
    dir: 'apps/gateway',
    instances: [{ label: 'gateway', env: { GATEWAY_PORT: '8000' }, url: 'http://127.0.0.1:8000 (API docs: /docs)' }],
  },
  {
    dir: 'apps/ingest-consumer',
    instances: [{ label: 'ingest-consumer', env: { INGEST_METRICS_PORT: '9101' }, url: 'http://127.0.0.1:9101/metrics' }],
  },
  {
    dir: 'apps/leader-metrics',
    instances: [9201, 9202, 9203].map((port, i) => ({
      label: `leader-metrics-${i + 1}`,
      env: { LEADER_METRICS_PORT: String(port), LEADER_INSTANCE_ID: `leader-metrics-${i + 1}` },
      url: `http://127.0.0.1:${port}/metrics`,
    })),
  },
];

/** JSON log lines become "12:00:01 info  [gateway] message {extra}"; anything else passes through. */
function readable(label: string, line: string): string {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const { timestamp, level, message, service: _service, instance: _instance, ...rest } = entry;
    const time = typeof timestamp === 'string' ? timestamp.slice(11, 19) : '';
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    return `${time} ${String(level).padEnd(5)} [${label}] ${String(message)}${extra}`;
  } catch {
    return `[${label}] ${line}`;
  }
}

function run(dir: string, instance: AppInstance): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...instance.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream !== null) createInterface({ input: stream }).on('line', (line) => console.log(readable(instance.label, line)));
  }
  child.on('exit', (code, signal) => console.log(`[${instance.label}] exited (${signal ?? `code ${code}`})`));
  return child;
}

/** `npm start`: the local stack, then every app in the foreground until Ctrl-C. */
async function main(): Promise<void> {
  const say = (line: string): void => console.log(line);
  await up(stackPaths(), allComponents(), say, 300_000);
  await ensureDesignTopics();
  const apps = APPS.filter((app) => existsSync(join(REPO_ROOT, app.dir, 'src', 'main.ts')));
  say('');
  say('Wiber is running:');
  say('  Kafka brokers     127.0.0.1:9092, 127.0.0.1:9093, 127.0.0.1:9094');
  say(`  Schema Registry   ${REGISTRY_URL}`);
  say('  MongoDB           mongodb://127.0.0.1:27017');
  say(`  Prometheus        ${PROMETHEUS_URL}`);
  for (const app of apps) for (const instance of app.instances) say(`  ${instance.label.padEnd(17)} ${instance.url}`);
  say('Ctrl-C stops the apps; the stack keeps running (npm run stack -- down stops it).');
  say('');
  const children = apps.flatMap((app) => app.instances.map((instance) => run(app.dir, instance)));
  const stop = (): void => {
    for (const child of children) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await Promise.all(children.map((child) => new Promise((resolve) => child.on('close', resolve))));
}

main().catch((error: unknown) => {
  console.error(`start: ${messageOf(error)}`);
  process.exit(1);
});
