import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackPaths } from '../component';
import {
  brokerProcess,
  brokerProcesses,
  ensureClusterId,
  KAFKA_NODES,
  newClusterId,
  parseJavaMajor,
  serverProperties,
} from './kafka';
import { problemOf, readQuorumLeader } from './kafka-cluster';

const paths: StackPaths = { root: '/s', cache: '/s/cache', data: '/s/data', logs: '/s/logs', run: '/s/run' };

function properties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.includes('=') && !line.startsWith('#'))
    .map((line): [string, string] => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return new Map(entries);
}

describe('kafka component', () => {
  it('never makes a cluster id that starts with "-" (kafka-storage would read it as a flag)', () => {
    const dashFirst = Buffer.from('-akIrEE6l3L0qh3CygPfoA', 'base64url');
    const plain = Buffer.alloc(16, 7);
    const draws = [dashFirst, dashFirst, plain];
    const id = newClusterId(() => draws.shift() ?? plain);
    expect(dashFirst.toString('base64url').startsWith('-')).toBe(true);
    expect(id).toBe(plain.toString('base64url'));
    expect(draws).toHaveLength(0);
  });

  it('writes a combined broker+controller config per node with the design durability settings', () => {
    const node2 = KAFKA_NODES[1];
    if (node2 === undefined) throw new Error('three nodes expected');
    const props = properties(serverProperties(paths, node2));
    expect(props.get('node.id')).toBe('2');
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9093,CONTROLLER://127.0.0.1:19093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9093');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:19092,2@127.0.0.1:19093,3@127.0.0.1:19094');
    expect(props.get('log.dirs')).toBe('/s/data/kafka/node-2/logs');
    expect(props.get('default.replication.factor')).toBe('3');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('auto.create.topics.enable')).toBe('false');
    expect(props.get('offsets.topic.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
  });

  it('names one java process per broker with both of its ports', () => {
    const specs = brokerProcesses(paths);
    expect(specs.map((s) => [s.name, s.ports])).toEqual([
      ['kafka-1', [9092, 19092]],
      ['kafka-2', [9093, 19093]],
      ['kafka-3', [9094, 19094]],
    ]);
    expect(specs[0]?.args.slice(-3)).toEqual(['/s/cache/kafka-4.4.0/libs/*', 'kafka.Kafka', '/s/data/kafka/node-1/server.properties']);
    expect(brokerProcess(paths, 2)).toEqual(brokerProcess(paths, 'kafka-2'));
    expect(() => brokerProcess(paths, 'kafka-9')).toThrow(/kafka-1, kafka-2, kafka-3/);
  });

  it('creates one cluster id per data dir, in the form KRaft accepts, and keeps the formatted one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kafka-id-'));
    const own: StackPaths = { ...paths, data: join(root, 'data') };
    try {
      const id = await ensureClusterId(own);
      expect(id).toHaveLength(22);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
      expect(await ensureClusterId(own)).toBe(id);
      const logs = join(own.data, 'kafka', 'node-3', 'logs');
      await mkdir(logs, { recursive: true });
      await writeFile(join(logs, 'meta.properties'), 'node.id=3\nversion=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\n');
      expect(await ensureClusterId(own)).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('reads the Java major version from `java -version`', () => {
    expect(parseJavaMajor('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(parseJavaMajor('java version "1.8.0_412"')).toBe(8);
    expect(parseJavaMajor('openjdk version "21" 2023-09-19')).toBe(21);
    expect(parseJavaMajor('no java here')).toBeUndefined();
  });

  it('explains why a node is unhealthy', () => {
    const node = { id: 1, port: 9092, controllerPort: 19092 };
    expect(problemOf({ node, registered: true, listening: true })).toBeUndefined();
    expect(problemOf({ node, registered: false, listening: true })).toMatch(/not registered/);
    expect(problemOf({ node, registered: true, listening: false })).toMatch(/not fenced it yet/);
    expect(problemOf({ node, registered: false, listening: false })).toBe('not listening');
  });

  describe('quorum leader', () => {
    let dir = '';
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kafka-quorum-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function writeState(node: string, state: object): Promise<string> {
      const logDir = join(dir, node);
      await mkdir(join(logDir, '__cluster_metadata-0'), { recursive: true });
      await writeFile(join(logDir, '__cluster_metadata-0', 'quorum-state'), JSON.stringify(state));
      return logDir;
    }

    it('takes the newest epoch across the voters and ignores missing files', async () => {
      const stale = await writeState('a', { clusterId: '', leaderId: 1, leaderEpoch: 4, votedId: -1 });
      const current = await writeState('b', { clusterId: '', leaderId: 3, leaderEpoch: 6, votedId: 3 });
      expect(await readQuorumLeader([stale, current, join(dir, 'missing')])).toEqual({ leaderId: 3, leaderEpoch: 6 });
      expect(await readQuorumLeader([join(dir, 'missing')])).toBeUndefined();
    });
  });
});
