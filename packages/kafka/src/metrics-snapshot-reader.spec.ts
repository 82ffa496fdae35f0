import type { Kafka } from 'kafkajs';
import type { MetricsSnapshot } from '@wiber/schema';
import type { LoggerLike } from './clients';
import { MetricsSnapshotReader, type SnapshotDecision } from './metrics-snapshot-reader';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

function snapshot(epoch: number, generatedAt: number): MetricsSnapshot {
  return {
    leaderId: `lm-${epoch}`,
    epoch,
    generatedAt,
    windowSeconds: 60,
    messagesPerMinute: epoch,
    messagesPerMinuteByPartition: [],
    activeConversations: 0,
    activeUsers: 0,
    consumerLag: [],
    dlqDepth: 0,
  };
}

describe('MetricsSnapshotReader.offer', () => {
  it('serves the newest snapshot that passes the epoch rule and counts what it ignored', () => {
    const decisions: SnapshotDecision[] = [];
    const reader = new MetricsSnapshotReader({
      kafka: {} as Kafka,
      codec: { decode: () => Promise.reject(new Error('not used')) },
      logger: quiet,
      onDecision: (decision) => decisions.push(decision),
    });
    expect(reader.latest()).toBeUndefined();
    reader.offer(snapshot(2, 1_000));
    reader.offer(snapshot(4, 2_000));
    expect(reader.offer(snapshot(3, 3_000), { partition: 0, offset: '7' })).toBe('stale-epoch');
    expect(reader.latest()).toEqual(snapshot(4, 2_000));
    expect(reader.highestEpoch()).toBe(4);
    expect(reader.stats()).toEqual({ accepted: 2, rejected: 1, undecodable: 0 });
    expect(decisions.map((d) => [d.verdict, d.snapshot.epoch, d.highestEpoch])).toEqual([
      ['accepted', 2, 2],
      ['accepted', 4, 4],
      ['stale-epoch', 3, 4],
    ]);
    expect(decisions[2]).toMatchObject({ partition: 0, offset: '7' });
  });
});
