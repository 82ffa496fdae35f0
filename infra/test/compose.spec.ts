import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPIC_SPECS } from '@wiber/kafka';
import { interpolate, parseComposeYaml, parsePublishedPort, variableReferences, type ComposeService } from '../src/compose';
import { INFRA_PATHS, REPO_ROOT } from '../src/paths';
import { isRecord } from '../src/yaml-values';
import {
  APP_SERVICES,
  composeText,
  composeWithExampleEnv,
  env,
  exampleEnv,
  isOneShot,
  ONE_SHOT_SERVICES,
  service,
  SERVING_APPS,
} from './support/stack';
import { itWithTool, runTool } from './support/tools';

const compose = composeWithExampleEnv();
const services = Object.values(compose.services);
const KAFKA_IMAGE = 'apache/kafka:4.4.0';
const brokers = services.filter((s) => s.image === KAFKA_IMAGE && s.environment['KAFKA_PROCESS_ROLES'] !== undefined);
const INTERNAL_BOOTSTRAP = 'kafka-1:9092,kafka-2:9092,kafka-3:9092';

function listeners(value: string): Map<string, { host: string; port: number }> {
  const map = new Map<string, { host: string; port: number }>();
  for (const entry of value.split(',')) {
    const match = /^([A-Z_]+):\/\/([^:]*):(\d+)$/.exec(entry.trim());
    if (match === null) throw new Error(`cannot read listener ${entry}`);
    map.set(match[1] ?? '', { host: match[2] ?? '', port: Number(match[3]) });
  }
  return map;
}

describe('compose: Kafka (KRaft, 3 nodes)', () => {
  it('runs three broker+controller nodes of the local stack version with distinct node ids', () => {
    expect(brokers.map((b) => b.name).sort()).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
    for (const broker of brokers) expect(env(broker, 'KAFKA_PROCESS_ROLES').split(',').sort()).toEqual(['broker', 'controller']);
    const ids = brokers.map((b) => Number(env(b, 'KAFKA_NODE_ID')));
    expect(new Set(ids).size).toBe(3);
    expect(ids.sort()).toEqual([1, 2, 3]);
  });

  it('formats every node with one cluster id (a 22-character base64 UUID)', () => {
    const ids = new Set(brokers.map((b) => env(b, 'CLUSTER_ID')));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('has a 3-voter controller quorum: every node lists all three, on their controller listener', () => {
    const voters = new Set(brokers.map((b) => env(b, 'KAFKA_CONTROLLER_QUORUM_VOTERS')));
    expect(voters.size).toBe(1);
    const parsed = [...voters][0]?.split(',').map((voter) => /^(\d+)@([^:]+):(\d+)$/.exec(voter)) ?? [];
    expect(parsed).toHaveLength(3);
    for (const match of parsed) {
      expect(match).not.toBeNull();
      const broker = brokers.find((b) => b.environment['KAFKA_NODE_ID'] === match?.[1]);
      expect(broker?.hostname ?? broker?.name).toBe(match?.[2]);
      const controllerName = broker === undefined ? '' : env(broker, 'KAFKA_CONTROLLER_LISTENER_NAMES');
      expect(listeners(broker === undefined ? '' : env(broker, 'KAFKA_LISTENERS')).get(controllerName)?.port).toBe(Number(match?.[3]));
    }
  });

  it('replicates 3 ways with min ISR 2, never creates topics on the fly, never elects unclean leaders', () => {
    for (const broker of brokers) {
      expect(env(broker, 'KAFKA_DEFAULT_REPLICATION_FACTOR')).toBe('3');
      expect(env(broker, 'KAFKA_MIN_INSYNC_REPLICAS')).toBe('2');
      expect(env(broker, 'KAFKA_AUTO_CREATE_TOPICS_ENABLE')).toBe('false');
      expect(env(broker, 'KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE')).toBe('false');
      expect(env(broker, 'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR')).toBe('3');
      expect(env(broker, 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR')).toBe('3');
      expect(env(broker, 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR')).toBe('2');
    }
  });

  it('advertises kafka-N:9092 on the compose network and localhost:909x (published) to the host', () => {
    const hostPorts: number[] = [];
    for (const broker of brokers) {
      const bound = listeners(env(broker, 'KAFKA_LISTENERS'));
      const advertised = listeners(env(broker, 'KAFKA_ADVERTISED_LISTENERS'));
      const protocols = new Map(env(broker, 'KAFKA_LISTENER_SECURITY_PROTOCOL_MAP').split(',').map((p) => p.split(':') as [string, string]));
      for (const name of bound.keys()) expect(protocols.has(name)).toBe(true);

      const internal = env(broker, 'KAFKA_INTER_BROKER_LISTENER_NAME');
      expect(advertised.get(internal)).toEqual({ host: broker.name, port: 9092 });
      expect(bound.get(internal)?.port).toBe(9092);

      const external = advertised.get('EXTERNAL');
      expect(external?.host).toBe('localhost');
      const published = broker.ports.map(parsePublishedPort).find((p) => p.container === bound.get('EXTERNAL')?.port);
      expect(published?.host).toBe(external?.port);
      hostPorts.push(published?.host ?? 0);
      // the controller listener stays inside the network
      expect(advertised.has(env(broker, 'KAFKA_CONTROLLER_LISTENER_NAMES'))).toBe(false);
    }
    expect(hostPorts.sort()).toEqual([9092, 9093, 9094]);
  });

  it('keeps each node in its own volume', () => {
    const volumes = brokers.map((b) => b.volumes.find((v) => v.endsWith(':/var/lib/kafka/data'))?.split(':')[0]);
    expect(new Set(volumes).size).toBe(3);
    for (const broker of brokers) expect(env(broker, 'KAFKA_LOG_DIRS')).toBe('/var/lib/kafka/data');
  });
});

describe('compose: topics (kafka-init)', () => {
  const init = service(compose, 'kafka-init');
  const script = readFileSync(INFRA_PATHS.createTopicsScript, 'utf8');

  function scriptTopics(): Array<{ name: string; partitions: number; configs: Record<string, string> }> {
    const variables = Object.fromEntries([...script.matchAll(/^([A-Z_]+)=(\d+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const block = /TOPICS=\(([\s\S]*?)\n\)/.exec(script)?.[1] ?? '';
    return [...block.matchAll(/"([^"|]+)\|(\d+)\|([^"]*)"/g)].map((m) => {
      const configs: Record<string, string> = {};
      const text = interpolate(m[3] ?? '', variables);
      for (const pair of text.match(/[^,=]+=(\[[^\]]*\]|[^,]*)/g) ?? []) {
        const [key, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
        configs[key] = value.replace(/^\[(.*)\]$/, '$1');
      }
      return { name: m[1] ?? '', partitions: Number(m[2]), configs };
    });
  }

  it('creates exactly the design topics with their partitions and configs (packages/kafka TOPIC_SPECS)', () => {
    const expected = TOPIC_SPECS.map((spec) => ({ name: spec.name, partitions: spec.partitions, configs: spec.configs }));
    expect(scriptTopics()).toEqual(expected);
    expect(TOPIC_SPECS.every((spec) => spec.replicationFactor === 3)).toBe(true);
    expect(script).toMatch(/^REPLICATION_FACTOR=3$/m);
  });

  it('is idempotent: --if-not-exists, then configs re-applied', () => {
    expect(script).toContain('--create --if-not-exists');
    expect(script).toContain('--alter');
    expect(script).toMatch(/set -euo pipefail/);
  });

  it('runs once with the Kafka image after all three brokers are healthy', () => {
    expect(init.image).toBe(KAFKA_IMAGE);
    expect(init.restart).toBe('no');
    expect(init.environment['KAFKA_BOOTSTRAP']).toBe(INTERNAL_BOOTSTRAP);
    expect(init.volumes.some((v) => v.startsWith(`${INFRA_PATHS.createTopicsScript.replace(/.*infra\/compose\//, './')}:`))).toBe(true);
    expect(init.dependsOn).toEqual({ 'kafka-1': 'service_healthy', 'kafka-2': 'service_healthy', 'kafka-3': 'service_healthy' });
  });
});

describe('compose: Schema Registry', () => {
  const registry = service(compose, 'schema-registry');

  it('is Confluent Schema Registry on 8081 with BACKWARD compatibility, stored in all three brokers', () => {
    expect(registry.image).toMatch(/^confluentinc\/cp-schema-registry:\d+\.\d+\.\d+$/);
    expect(env(registry, 'SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL')).toBe('BACKWARD');
    expect(env(registry, 'SCHEMA_REGISTRY_LISTENERS')).toBe('http://0.0.0.0:8081');
    expect(env(registry, 'SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS').replace(/PLAINTEXT:\/\//g, '')).toBe(INTERNAL_BOOTSTRAP);
    expect(env(registry, 'SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR')).toBe('3');
    expect(registry.ports.map(parsePublishedPort).map((p) => p.container)).toEqual([8081]);
  });
});

describe('compose: MongoDB replica set', () => {
  const members = ['mongo-1', 'mongo-2', 'mongo-3'].map((name) => service(compose, name));
  const init = service(compose, 'mongo-init');
  const initScript = readFileSync(INFRA_PATHS.mongoInitScript, 'utf8');

  function argument(svc: ComposeService, flag: string): string | undefined {
    const index = svc.command.indexOf(flag);
    return index < 0 ? undefined : svc.command[index + 1];
  }

  it('runs three MongoDB 7 members of one replica set with keyfile auth', () => {
    const sets = new Set<string | undefined>();
    for (const member of members) {
      expect(member.image).toMatch(/^mongo:7(\.|$)/);
      sets.add(argument(member, '--replSet'));
      expect(argument(member, '--keyFile')).toBe('/etc/mongo-keyfile/replica-set.key');
      expect(member.volumes).toContain('mongo-keyfile:/etc/mongo-keyfile:ro');
      expect(member.command).toContain('--bind_ip_all');
      expect(member.dependsOn).toEqual({ 'mongo-keyfile': 'service_completed_successfully' });
    }
    expect([...sets]).toEqual([exampleEnv()['MONGO_REPLICA_SET']]);
    const dataVolumes = members.map((m) => m.volumes.find((v) => v.endsWith(':/data/db')));
    expect(new Set(dataVolumes).size).toBe(3);
  });

  it('reports a member healthy only once the set has a primary', () => {
    for (const member of members) expect(member.healthcheck?.test.join(' ')).toContain('db.hello().primary');
  });

  it('initiates the set idempotently, waits for a primary and creates the app user', () => {
    expect(init.image).toMatch(/^mongo:7(\.|$)/);
    expect(init.restart).toBe('no');
    expect(init.entrypoint.slice(-1)[0]).toBe('/opt/wiber/init-replica-set.js');
    expect(env(init, 'MONGO_MEMBERS').split(',')).toEqual(members.map((m) => `${m.name}:27017`));
    expect(Object.keys(init.dependsOn).sort()).toEqual(members.map((m) => m.name));
    // only when not initiated yet (code 94 NotYetInitialized), and tolerant of a race (23 AlreadyInitialized)
    expect(initScript).toMatch(/NOT_YET_INITIALIZED = 94/);
    expect(initScript).toMatch(/replSetInitiate/);
    expect(initScript).toMatch(/states\.includes\('PRIMARY'\)/);
    expect(initScript).toMatch(/createUser/);
    expect(initScript).toMatch(/updateUser/);
  });

  it('gives the apps the replica-set URI with majority, journaled writes', () => {
    for (const name of ['gateway', 'ingest-consumer', 'leader-metrics']) {
      const app = service(compose, name);
      // WHATWG URL cannot hold a host list: mongodb://user:password@host1,host2,host3/db?options
      const uri = /^mongodb:\/\/[^@/]+@([^/]+)\/([^?]*)\?(.*)$/.exec(env(app, 'MONGO_URI'));
      expect(uri).not.toBeNull();
      expect(uri?.[1]?.split(',')).toEqual(members.map((m) => `${m.name}:27017`));
      expect(uri?.[2]).toBe(exampleEnv()['MONGO_DATABASE']);
      const options = new URLSearchParams(uri?.[3] ?? '');
      expect(options.get('replicaSet')).toBe(exampleEnv()['MONGO_REPLICA_SET']);
      expect(options.get('w')).toBe('majority');
      expect(options.get('authSource')).toBe('admin');
      expect(env(app, 'MONGO_WRITE_CONCERN')).toBe('majority');
      expect(env(app, 'MONGO_JOURNAL')).toBe('true');
    }
  });
});

describe('compose: services, health checks and start order', () => {
  it('gives every long-running service a health check and a restart policy; one-shot jobs do not restart', () => {
    for (const svc of services) {
      if (isOneShot(svc)) {
        expect({ service: svc.name, restart: svc.restart }).toEqual({ service: svc.name, restart: 'no' });
      } else {
        expect({ service: svc.name, healthcheck: svc.healthcheck !== undefined && !svc.healthcheck.disabled }).toEqual({
          service: svc.name,
          healthcheck: true,
        });
        expect(['unless-stopped', 'always', 'on-failure']).toContain(svc.restart);
      }
    }
    for (const name of ONE_SHOT_SERVICES) expect(compose.services[name]).toBeDefined();
  });

  it('waits on one-shot jobs to complete and on long-running services to be healthy', () => {
    // mongo-init must start before the members are healthy: they only are once it initiated the set
    const bootstrapping = new Set(['mongo-init>mongo-1', 'mongo-init>mongo-2', 'mongo-init>mongo-3']);
    for (const svc of services) {
      for (const [dependency, condition] of Object.entries(svc.dependsOn)) {
        const target = service(compose, dependency);
        const expected = isOneShot(target)
          ? 'service_completed_successfully'
          : bootstrapping.has(`${svc.name}>${dependency}`)
            ? 'service_started'
            : 'service_healthy';
        expect(`${svc.name} -> ${dependency}: ${condition}`).toBe(`${svc.name} -> ${dependency}: ${expected}`);
      }
    }
  });

  it('starts the apps only after topics, the registry and (for Mongo users) the replica set are ready', () => {
    for (const name of APP_SERVICES) {
      const app = service(compose, name);
      expect(app.dependsOn['kafka-init']).toBe('service_completed_successfully');
      expect(app.dependsOn['schema-registry']).toBe('service_healthy');
      if (app.environment['MONGO_URI'] !== undefined) expect(app.dependsOn['mongo-init']).toBe('service_completed_successfully');
    }
  });

  it('health-checks each serving app on its own port at /health/readiness', () => {
    for (const { service: name, port, portVariable } of SERVING_APPS) {
      const app = service(compose, name);
      expect(env(app, portVariable)).toBe(String(port));
      expect(app.healthcheck?.test).toEqual(['CMD', 'node', '/app/healthcheck.cjs', `http://127.0.0.1:${port}/health/readiness`]);
      expect(app.build?.args['HEALTHCHECK_URL']).toBe(`http://127.0.0.1:${port}/health/readiness`);
    }
  });

  it('publishes host ports on 127.0.0.1 by default, on the design ports', () => {
    const published = new Map<string, number[]>();
    for (const svc of services) {
      for (const port of svc.ports.map(parsePublishedPort)) {
        expect(`${svc.name} ${port.address ?? '(all interfaces)'}`).toBe(`${svc.name} 127.0.0.1`);
        published.set(svc.name, [...(published.get(svc.name) ?? []), port.host]);
      }
    }
    expect(Object.fromEntries(published)).toMatchObject({
      gateway: [8000],
      'schema-registry': [8081],
      'mongo-1': [27017],
      prometheus: [9090],
      grafana: [3000],
      'kafka-ui': [8080],
    });
  });
});

describe('compose: the apps', () => {
  it('builds every app from infra/docker/app.Dockerfile with the repository root as context', () => {
    for (const name of APP_SERVICES) {
      const app = service(compose, name);
      expect(app.build?.dockerfile).toBe('infra/docker/app.Dockerfile');
      expect(app.build?.context).toBe(REPO_ROOT);
      expect(app.build?.args['APP']).toBe(name);
      expect(app.image).toBe(`wiber/${name}:${exampleEnv()['WIBER_VERSION']}`);
      expect(app.environment['KAFKA_BROKERS']).toBe(INTERNAL_BOOTSTRAP);
      // Confluent's registry has no path prefix
      expect(app.environment['SCHEMA_REGISTRY_URL']).toBe('http://schema-registry:8081');
    }
  });

  it('runs the gateway on all interfaces with JWT auth by default', () => {
    const gateway = service(compose, 'gateway');
    expect(env(gateway, 'GATEWAY_HOST')).toBe('0.0.0.0');
    expect(env(gateway, 'AUTH_MODE')).toBe('jwt');
    expect(Buffer.byteLength(env(gateway, 'JWT_SECRET'))).toBeGreaterThanOrEqual(32);
  });

  it('lets ingest-consumer scale (no fixed name, no host port) and runs 3 leader-metrics replicas', () => {
    for (const name of ['ingest-consumer', 'leader-metrics']) {
      const app = service(compose, name);
      expect(app.containerName).toBeUndefined();
      expect(app.hostname).toBeUndefined();
      expect(app.ports).toEqual([]);
    }
    expect(service(compose, 'leader-metrics').replicas).toBe(3);
  });

  it('runs the dlq-replayer only on demand (profile), passing arguments to the CLI', () => {
    const replayer = service(compose, 'dlq-replayer');
    expect(replayer.profiles).toEqual(['tools']);
    expect(replayer.restart).toBe('no');
    expect(replayer.command).toEqual([]);
    expect(replayer.entrypoint).toEqual([]);
    const dockerfile = readFileSync(INFRA_PATHS.dockerfile, 'utf8');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "--enable-source-maps", "\."\]$/m);
  });
});

describe('compose: observability and tools', () => {
  it('mounts the Prometheus config and rules, and Grafana provisioning and dashboards, read-only', () => {
    const prometheus = service(compose, 'prometheus');
    expect(prometheus.volumes).toContain('../prometheus:/etc/wiber-prometheus:ro');
    expect(prometheus.command).toContain('--config.file=/etc/wiber-prometheus/prometheus.yml');
    const grafana = service(compose, 'grafana');
    expect(grafana.volumes).toContain('../grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(grafana.volumes).toContain('../grafana/dashboards:/etc/wiber-grafana/dashboards:ro');
    expect(grafana.dependsOn).toEqual({ prometheus: 'service_healthy' });
  });

  it('wires Kafka UI to the three brokers and the registry, behind a login', () => {
    const ui = service(compose, 'kafka-ui');
    expect(ui.image).toMatch(/^ghcr\.io\/kafbat\/kafka-ui:v\d+\.\d+\.\d+$/);
    expect(env(ui, 'KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS')).toBe(INTERNAL_BOOTSTRAP);
    expect(env(ui, 'KAFKA_CLUSTERS_0_SCHEMAREGISTRY')).toBe('http://schema-registry:8081');
    expect(env(ui, 'AUTH_TYPE')).toBe('LOGIN_FORM');
  });

  it('pins every image to a version', () => {
    for (const svc of services) {
      if (svc.build !== undefined) continue;
      expect(svc.image).toMatch(/:[^:]+$/);
      expect(svc.image).not.toMatch(/:latest$/);
    }
  });
});

describe('compose: secrets', () => {
  const text = composeText();
  const raw = parseComposeYaml(text);
  const SECRET_KEY = /(PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL)/;

  it('takes every secret from the environment (.env), required and without a default', () => {
    const rawServices = raw['services'];
    const checked: string[] = [];
    if (!isRecord(rawServices)) throw new Error('no services');
    for (const [name, spec] of Object.entries(rawServices)) {
      const environment = isRecord(spec) && isRecord(spec['environment']) ? spec['environment'] : {};
      for (const [key, value] of Object.entries(environment)) {
        if (!SECRET_KEY.test(key)) continue;
        checked.push(`${name}.${key}`);
        expect(`${name}.${key}=${String(value)}`).toMatch(/=\$\{[A-Z0-9_]+:\?[^}]*\}$/);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(6);
  });

  it('writes no credentials into URIs except through variables', () => {
    const code = text
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n');
    for (const match of code.matchAll(/[a-z]+:\/\/([^@\s/]+)@/g)) {
      expect(match[1]).toMatch(/^\$\{[A-Z_]+:\?[^}]*\}:\$\{[A-Z_]+:\?[^}]*\}$/);
    }
  });

  it('lists every required variable in .env.example, with placeholder secrets only', () => {
    const example = exampleEnv();
    const required = new Set(variableReferences(text).filter((ref) => ref.kind === 'required').map((ref) => ref.name));
    for (const name of required) expect(Object.keys(example)).toContain(name);
    for (const [key, value] of Object.entries(example)) {
      if (SECRET_KEY.test(key)) expect(`${key}=${value}`).toMatch(/=change-me/);
    }
  });

  it('keeps .env out of git and out of the image build context', () => {
    const gitignore = readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8');
    expect(gitignore.split(/\r?\n/)).toContain('.env');
    expect(readFileSync(INFRA_PATHS.dockerignore, 'utf8').split(/\r?\n/)).toContain('**/.env');
  });

  it('refuses to start without the secrets (interpolation fails)', () => {
    expect(() => interpolate('${JWT_SECRET:?set JWT_SECRET}', {})).toThrow(/JWT_SECRET/);
  });
});

describe('compose: validated by docker-compose', () => {
  // only the variables of the --env-file count, not whatever the shell running the tests exports
  const exampleKeys = new Set(Object.keys(exampleEnv()));
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !exampleKeys.has(key)));
  const withDockerCompose = itWithTool('docker-compose', 'apt-get install -y --no-install-recommends docker-compose');
  withDockerCompose('docker-compose config accepts the file with .env.example', (tool) => {
    const result = runTool(tool, ['-f', INFRA_PATHS.compose, '--env-file', INFRA_PATHS.composeEnvExample, 'config', '-q'], { env: cleanEnv });
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
  withDockerCompose('docker-compose config refuses to run without the secrets', (tool) => {
    const empty = join(mkdtempSync(join(tmpdir(), 'wiber-compose-')), 'empty.env');
    writeFileSync(empty, '');
    const result = runTool(tool, ['-f', INFRA_PATHS.compose, '--env-file', empty, 'config', '-q'], { env: cleanEnv });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/set [A-Z_]+ in infra\/compose\/\.env/);
  });
});
