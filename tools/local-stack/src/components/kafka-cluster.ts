import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { isPortInUse, sleep } from '../processes';
import type { KafkaNode } from './kafka';

export interface ClusterProbe {
  /** node ids of the brokers the cluster metadata lists (registered and unfenced) */
  brokerIds: number[];
}

export interface QuorumLeader {
  /** -1 while an election is in progress */
  leaderId: number;
  leaderEpoch: number;
}

const PROBE_TIMEOUT_MS = 5_000;
const POLL_INTERVAL_MS = 500;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** One describeCluster round trip; a few quick retries so a dead seed broker is skipped. */
export async function probeCluster(brokers: readonly string[], timeoutMs = PROBE_TIMEOUT_MS): Promise<ClusterProbe> {
  const kafka = new Kafka({
    clientId: 'wiber-local-stack',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: timeoutMs,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 500 },
  });
  const admin = kafka.admin();
  const describe = async (): Promise<ClusterProbe> => {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { brokerIds: cluster.brokers.map((broker) => broker.nodeId).sort((a, b) => a - b) };
  };
  try {
    return await withTimeout(describe(), timeoutMs, 'describeCluster');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface NodeHealth {
  node: KafkaNode;
  /** listed as a broker in the cluster metadata */
  registered: boolean;
  /** its client port accepts connections */
  listening: boolean;
}

/** Both checks, because a killed broker stays in the metadata until the controllers fence it (~9 s). */
export async function nodeHealth(nodes: readonly KafkaNode[], probe: ClusterProbe | undefined): Promise<NodeHealth[]> {
  return Promise.all(
    nodes.map(async (node) => ({
      node,
      registered: probe?.brokerIds.includes(node.id) ?? false,
      listening: await isPortInUse(node.port),
    })),
  );
}

/** Why a node is not healthy, or undefined when it is. */
export function problemOf(health: NodeHealth): string | undefined {
  if (!health.listening && health.registered) return 'not listening; the controllers have not fenced it yet';
  if (!health.listening) return 'not listening';
  if (!health.registered) return 'listening but not registered with the controllers';
  return undefined;
}

function timeoutMessage(
  health: NodeHealth[],
  lastError: string | undefined,
  answered: boolean,
  timeoutMs: number,
): string {
  const details = health
    .map((h) => ({ h, problem: problemOf(h) }))
    .filter(({ problem }) => problem !== undefined)
    .map(({ h, problem }) => `127.0.0.1:${h.node.port} (node ${h.node.id}, ${problem})`);
  const noAnswer = answered ? '' : `; no broker answered describeCluster (last error: ${lastError ?? 'none'})`;
  return `brokers not healthy after ${Math.round(timeoutMs / 1000)}s: ${details.join(', ')}${noAnswer}`;
}

/** Resolves once every node is listening and listed as a broker in the cluster metadata. */
export async function waitForBrokers(nodes: readonly KafkaNode[], timeoutMs: number): Promise<void> {
  const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
  const deadline = Date.now() + timeoutMs;
  let lastError: string | undefined;
  for (;;) {
    let probe: ClusterProbe | undefined;
    try {
      probe = await probeCluster(addresses, Math.max(1_000, Math.min(PROBE_TIMEOUT_MS, deadline - Date.now())));
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    const health = await nodeHealth(nodes, probe);
    if (health.every((h) => problemOf(h) === undefined)) return;
    if (Date.now() >= deadline) throw new Error(timeoutMessage(health, lastError, probe !== undefined, timeoutMs));
    await sleep(POLL_INTERVAL_MS);
  }
}

function parseQuorumState(text: string): QuorumLeader | undefined {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  if (!('leaderId' in parsed) || !('leaderEpoch' in parsed)) return undefined;
  const { leaderId, leaderEpoch } = parsed;
  return typeof leaderId === 'number' && typeof leaderEpoch === 'number' ? { leaderId, leaderEpoch } : undefined;
}

async function readQuorumState(logDir: string): Promise<QuorumLeader | undefined> {
  try {
    return parseQuorumState(await readFile(join(logDir, '__cluster_metadata-0', 'quorum-state'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The KRaft controller leader. kafkajs has no DescribeQuorum, and in KRaft the "controller"
 * a Metadata response names is just some broker, so this reads the election state every
 * voter persists on each transition; the highest epoch is the current one (a stopped node's
 * file is stale but older).
 */
export async function readQuorumLeader(logDirs: readonly string[]): Promise<QuorumLeader | undefined> {
  const states = (await Promise.all(logDirs.map(readQuorumState))).filter((state) => state !== undefined);
  return states.reduce<QuorumLeader | undefined>(
    (newest, state) => (newest === undefined || state.leaderEpoch > newest.leaderEpoch ? state : newest),
    undefined,
  );
}
