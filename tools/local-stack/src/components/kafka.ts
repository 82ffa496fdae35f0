import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Component, ProcessSpec, StackPaths } from '../component';
import { REPO_ROOT } from '../paths';
import { runCommand } from '../run-command';
import {
  nodeHealth,
  probeCluster,
  problemOf,
  readQuorumLeader,
  waitForBrokers,
  type NodeHealth,
  type QuorumLeader,
} from './kafka-cluster';

/**
 * Apache Kafka 4.4.0, the newest release on Maven Central when chosen. Every kafkajs 2.2.4 call
 * the project makes was exercised against it and works (KIP-896 only removed protocol versions
 * kafkajs never picks). It also loses the race between "topic created" and "every broker knows
 * the topic" far less often than 3.9.2/4.0.2 (createTopics with waitForLeaders failed with
 * UNKNOWN_TOPIC_OR_PARTITION 1 in 20 times vs 12 in 20 on 3.9.2).
 */
export const KAFKA_VERSION = '4.4.0';
export const KAFKA_HOST = '127.0.0.1';
export const JAVA_MIN_VERSION = 17;

export interface KafkaNode {
  /** node.id; every node is both broker and KRaft controller (voter) */
  id: number;
  /** client (PLAINTEXT) listener */
  port: number;
  /** KRaft controller listener */
  controllerPort: number;
}

export const KAFKA_NODES: readonly KafkaNode[] = [
  { id: 1, port: 9092, controllerPort: 19092 },
  { id: 2, port: 9093, controllerPort: 19093 },
  { id: 3, port: 9094, controllerPort: 19094 },
];
export const KAFKA_BROKERS: readonly string[] = KAFKA_NODES.map((node) => brokerAddress(node));
export const KAFKA_REPLICATION_FACTOR = 3;
export const KAFKA_MIN_INSYNC_REPLICAS = 2;

const COMPONENT_NAME = 'kafka';
const COMPLETE_MARKER = '.wiber-complete';
const SERVER_MAIN = 'kafka.Kafka';
const STORAGE_TOOL_MAIN = 'kafka.tools.StorageTool';
const HEAP_ARGS = ['-Xms256m', '-Xmx512m'];
// What kafka-run-class.sh uses, plus: die on OOM rather than limp on.
const JVM_ARGS = [
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];

export function brokerAddress(node: KafkaNode): string {
  return `${KAFKA_HOST}:${node.port}`;
}

export function brokerProcessName(nodeId: number): string {
  return `kafka-${nodeId}`;
}

export function kafkaPomPath(): string {
  return join(REPO_ROOT, 'tools', 'local-stack', 'maven', 'kafka', 'pom.xml');
}

export function kafkaHome(paths: StackPaths): string {
  return join(paths.cache, `kafka-${KAFKA_VERSION}`);
}

export function kafkaLibs(paths: StackPaths): string {
  return join(kafkaHome(paths), 'libs');
}

export function kafkaDataDir(paths: StackPaths): string {
  return join(paths.data, COMPONENT_NAME);
}

export function nodeDir(paths: StackPaths, nodeId: number): string {
  return join(kafkaDataDir(paths), `node-${nodeId}`);
}

/** Where the node keeps its partitions and the KRaft metadata log. */
export function nodeLogDir(paths: StackPaths, nodeId: number): string {
  return join(nodeDir(paths, nodeId), 'logs');
}

export function serverPropertiesPath(paths: StackPaths, nodeId: number): string {
  return join(nodeDir(paths, nodeId), 'server.properties');
}

export function clusterIdPath(paths: StackPaths): string {
  return join(kafkaDataDir(paths), 'cluster-id');
}

/**
 * The KRaft cluster id of this data dir, created on first use (base64url of 16 bytes, as
 * `kafka-storage format` requires). Not a constant: two stacks on one machine (say, two
 * checkouts) that share the voter ports would otherwise accept each other's nodes and merge
 * their metadata logs; with distinct ids a stray node is rejected (INCONSISTENT_CLUSTER_ID).
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  // like Kafka's Uuid.randomUuid: an id that starts with '-' reads as a flag to command-line tools
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export async function ensureClusterId(paths: StackPaths): Promise<string> {
  const existing = await readClusterId(paths);
  if (existing !== undefined) return existing;
  const id = newClusterId();
  await mkdir(kafkaDataDir(paths), { recursive: true });
  await writeFile(clusterIdPath(paths), `${id}\n`);
  return id;
}

async function readTrimmed(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** A formatted node's meta.properties is the truth; the cluster-id file covers the unformatted. */
export async function readClusterId(paths: StackPaths): Promise<string | undefined> {
  for (const node of KAFKA_NODES) {
    const meta = await readTrimmed(join(nodeLogDir(paths, node.id), 'meta.properties'));
    const id = meta === undefined ? undefined : /^cluster\.id=(.+)$/m.exec(meta)?.[1]?.trim();
    if (id !== undefined && id !== '') return id;
  }
  return readTrimmed(clusterIdPath(paths));
}

function log4jConfigPath(paths: StackPaths): string {
  return join(kafkaDataDir(paths), 'log4j2.properties');
}

function classpath(paths: StackPaths): string {
  // the JVM expands `dir/*` itself; no shell is involved
  return `${kafkaLibs(paths)}/*`;
}

export function serverProperties(paths: StackPaths, node: KafkaNode): string {
  const voters = KAFKA_NODES.map((n) => `${n.id}@${KAFKA_HOST}:${n.controllerPort}`).join(',');
  const settings: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', node.id],
    ['controller.quorum.voters', voters],
    ['listeners', `PLAINTEXT://${brokerAddress(node)},CONTROLLER://${KAFKA_HOST}:${node.controllerPort}`],
    ['advertised.listeners', `PLAINTEXT://${brokerAddress(node)}`],
    ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['log.dirs', nodeLogDir(paths, node.id)],
    ['default.replication.factor', KAFKA_REPLICATION_FACTOR],
    ['min.insync.replicas', KAFKA_MIN_INSYNC_REPLICAS],
    ['auto.create.topics.enable', 'false'],
    ['offsets.topic.replication.factor', KAFKA_REPLICATION_FACTOR],
    ['transaction.state.log.replication.factor', KAFKA_REPLICATION_FACTOR],
    ['transaction.state.log.min.isr', KAFKA_MIN_INSYNC_REPLICAS],
    ['group.initial.rebalance.delay.ms', 0],
  ];
  const header = '# Generated by tools/local-stack (kafka component); rewritten on every `up`.';
  return `${[header, ...settings.map(([key, value]) => `${key}=${value}`)].join('\n')}\n`;
}

/** To stdout, which the CLI sends to `${paths.logs}/kafka-N.log`. */
export function log4jConfig(): string {
  return `${[
    'status = warn',
    'appender.stdout.type = Console',
    'appender.stdout.name = STDOUT',
    'appender.stdout.layout.type = PatternLayout',
    'appender.stdout.layout.pattern = [%d] %p %m (%c)%n',
    // storage formatting runs with -Dwiber.kafka.log.level=WARN to keep its output short
    'rootLogger.level = ${sys:wiber.kafka.log.level:-INFO}',
    'rootLogger.appenderRef.stdout.ref = STDOUT',
    // every start would otherwise dump ~400 lines of effective config; server.properties is on disk
    'logger.config.name = org.apache.kafka.common.config.AbstractConfig',
    'logger.config.level = WARN',
    'logger.statechange.name = state.change.logger',
    'logger.statechange.level = WARN',
  ].join('\n')}\n`;
}

function mainJar(paths: StackPaths): string {
  return join(kafkaLibs(paths), `kafka_2.13-${KAFKA_VERSION}.jar`);
}

async function install(paths: StackPaths, log: (line: string) => void): Promise<void> {
  const home = kafkaHome(paths);
  if (existsSync(join(home, COMPLETE_MARKER)) && existsSync(mainJar(paths))) return;
  await rm(home, { recursive: true, force: true });
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars (~45 MB) from Maven Central into ${kafkaLibs(paths)}`);
  try {
    await runCommand('mvn', [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      kafkaPomPath(),
      'dependency:copy-dependencies',
      `-Dkafka.version=${KAFKA_VERSION}`,
      `-Dkafka.libs=${kafkaLibs(paths)}`,
    ]);
  } catch (error) {
    throw new Error(`Maven could not fetch org.apache.kafka:kafka_2.13:${KAFKA_VERSION}: ${messageOf(error)}`);
  }
  if (!existsSync(mainJar(paths))) {
    throw new Error(`Maven finished but ${mainJar(paths)} is missing`);
  }
  const jars = (await readdir(kafkaLibs(paths))).filter((file) => file.endsWith('.jar')).length;
  await writeFile(join(home, COMPLETE_MARKER), `${KAFKA_VERSION} ${jars} jars ${new Date().toISOString()}\n`);
  log(`Apache Kafka ${KAFKA_VERSION} ready (${jars} jars)`);
}

/** `java -version` prints to stderr: `openjdk version "17.0.15"` or `"1.8.0_412"`. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

function javaVersionOutput(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('java', ['-version'], (error, stdout, stderr) => {
      if (error) reject(new Error(`java -version failed: ${error.message}`));
      else resolve(`${stderr}${stdout}`);
    });
  });
}

async function checkJava(): Promise<void> {
  const output = await javaVersionOutput();
  const major = parseJavaMajor(output);
  if (major !== undefined && major < JAVA_MIN_VERSION) {
    throw new Error(
      `Kafka ${KAFKA_VERSION} needs Java ${JAVA_MIN_VERSION}+, but java on PATH is ${major}; ` +
        'install e.g. openjdk-17-jre-headless',
    );
  }
}

function isFormatted(paths: StackPaths, nodeId: number): boolean {
  return existsSync(join(nodeLogDir(paths, nodeId), 'meta.properties'));
}

async function formatStorage(paths: StackPaths, nodeId: number, clusterId: string): Promise<void> {
  try {
    await runCommand('java', [
      ...HEAP_ARGS,
      `-Dlog4j2.configurationFile=${log4jConfigPath(paths)}`,
      '-Dwiber.kafka.log.level=WARN',
      '-cp',
      classpath(paths),
      STORAGE_TOOL_MAIN,
      'format',
      `--cluster-id=${clusterId}`,
      '--config',
      serverPropertiesPath(paths, nodeId),
      '--ignore-formatted',
    ]);
  } catch (error) {
    throw new Error(`formatting storage of node ${nodeId} failed: ${messageOf(error)}`);
  }
}

async function prepare(paths: StackPaths, log: (line: string) => void): Promise<void> {
  if (!existsSync(mainJar(paths))) throw new Error(`${mainJar(paths)} is missing; install did not run`);
  await checkJava();
  await mkdir(kafkaDataDir(paths), { recursive: true });
  await writeFile(log4jConfigPath(paths), log4jConfig());
  await Promise.all(
    KAFKA_NODES.map(async (node) => {
      await mkdir(nodeDir(paths, node.id), { recursive: true });
      await writeFile(serverPropertiesPath(paths, node.id), serverProperties(paths, node));
    }),
  );
  const unformatted = KAFKA_NODES.filter((node) => !isFormatted(paths, node.id));
  if (unformatted.length === 0) return;
  const clusterId = await ensureClusterId(paths);
  const ids = unformatted.map((node) => node.id).join(', ');
  log(`formatting KRaft storage of node ${ids} (cluster id ${clusterId})`);
  await Promise.all(unformatted.map((node) => formatStorage(paths, node.id, clusterId)));
}

function brokerProcessSpec(paths: StackPaths, node: KafkaNode): ProcessSpec {
  return {
    name: brokerProcessName(node.id),
    command: 'java',
    args: [
      ...HEAP_ARGS,
      ...JVM_ARGS,
      `-Dlog4j2.configurationFile=${log4jConfigPath(paths)}`,
      '-cp',
      classpath(paths),
      SERVER_MAIN,
      serverPropertiesPath(paths, node.id),
    ],
    cwd: nodeDir(paths, node.id),
    ports: [node.port, node.controllerPort],
  };
}

/** The three broker processes (kafka-1..kafka-3), in node id order. */
export function brokerProcesses(paths: StackPaths): ProcessSpec[] {
  return KAFKA_NODES.map((node) => brokerProcessSpec(paths, node));
}

/** One broker's process, by node id (2) or process name ('kafka-2'), e.g. to kill and restart it in a test. */
export function brokerProcess(paths: StackPaths, broker: number | string): ProcessSpec {
  const name = typeof broker === 'number' ? brokerProcessName(broker) : broker;
  const spec = brokerProcesses(paths).find((candidate) => candidate.name === name);
  if (spec === undefined) {
    const names = KAFKA_NODES.map((node) => brokerProcessName(node.id)).join(', ');
    throw new Error(`no Kafka broker process "${name}"; one of ${names}`);
  }
  return spec;
}

function brokerLine(health: NodeHealth, leaderId: number | undefined): string {
  const problem = problemOf(health);
  const isLeader = leaderId === health.node.id && health.listening;
  const notes = [...(isLeader ? ['controller leader'] : []), ...(problem === undefined ? [] : [problem])];
  return `broker ${health.node.id} ${brokerAddress(health.node)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

function quorumLine(health: NodeHealth[], quorum: QuorumLeader | undefined): string[] {
  const leader = health.find((h) => h.node.id === quorum?.leaderId);
  if (leader?.listening === true) return [];
  return ['controller quorum: no live leader known (election in progress?)'];
}

async function describe(paths: StackPaths): Promise<string[]> {
  const logDirs = KAFKA_NODES.map((node) => nodeLogDir(paths, node.id));
  const [cluster, quorum, clusterId] = await Promise.all([
    probeCluster(KAFKA_BROKERS),
    readQuorumLeader(logDirs),
    readClusterId(paths),
  ]);
  const health = await nodeHealth(KAFKA_NODES, cluster);
  const counts = `${cluster.brokerIds.length}/${KAFKA_NODES.length} brokers in metadata`;
  const summary = `Apache Kafka ${KAFKA_VERSION} (KRaft, cluster id ${clusterId ?? 'unknown'}), ${counts}`;
  return [summary, ...health.map((h) => brokerLine(h, quorum?.leaderId)), ...quorumLine(health, quorum)];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const kafkaComponent: Component = {
  name: COMPONENT_NAME,
  requirements: [
    {
      command: 'java',
      hint: `install a Java ${JAVA_MIN_VERSION}+ runtime, e.g. \`apt-get install -y openjdk-17-jre-headless\``,
    },
    { command: 'mvn', hint: 'install Maven to fetch the Kafka jars from Maven Central, e.g. `apt-get install -y maven`' },
  ],
  install,
  prepare,
  processes: brokerProcesses,
  waitHealthy: (_paths, timeoutMs) => waitForBrokers(KAFKA_NODES, timeoutMs),
  describe,
};
