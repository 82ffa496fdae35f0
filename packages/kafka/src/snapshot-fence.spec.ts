import type { MetricsSnapshot } from '@wiber/schema';
import { acceptSnapshot, judgeSnapshot, type SnapshotFence } from './snapshot-fence';

function snapshot(epoch: number, generatedAt: number, leaderId = `lm-${epoch}`): MetricsSnapshot {
  return {
    leaderId,
    epoch,
    generatedAt,
    windowSeconds: 60,
    messagesPerMinute: 0,
    messagesPerMinuteByPartition: [],
    activeConversations: 0,
    activeUsers: 0,
    consumerLag: [],
    dlqDepth: 0,
  };
}

describe('acceptSnapshot (the epoch rule)', () => {
  it('accepts anything before the first snapshot', () => {
    expect(acceptSnapshot(undefined, { epoch: 1 })).toBe(true);
  });

  it.each([
    [5, 6, true],
    [5, 5, true],
    [5, 4, false],
    [5, 0, false],
  ])('highest %p, offered %p -> %p', (highest, epoch, expected) => {
    expect(acceptSnapshot(highest, { epoch })).toBe(expected);
  });
});

describe('judgeSnapshot', () => {
  const t0 = 1_763_870_400_000;

  it('keeps the highest epoch and the newest accepted snapshot', () => {
    let fence: SnapshotFence | undefined;
    const verdicts = [snapshot(3, t0), snapshot(3, t0 + 1000), snapshot(5, t0 + 2000), snapshot(4, t0 + 3000), snapshot(5, t0 + 4000)].map(
      (s) => {
        const judgement = judgeSnapshot(fence, s, 60_000);
        fence = judgement.fence;
        return judgement.verdict;
      },
    );
    expect(verdicts).toEqual(['accepted', 'accepted', 'accepted', 'stale-epoch', 'accepted']);
    expect(fence?.highestEpoch).toBe(5);
    expect(fence?.latest.generatedAt).toBe(t0 + 4000);
  });

  it('rejects a stale epoch generated right after the current leader published, however fresh', () => {
    const fence = judgeSnapshot(undefined, snapshot(9, t0)).fence;
    const zombie = judgeSnapshot(fence, snapshot(8, t0 + 30_000, 'frozen-leader'), 60_000);
    expect(zombie.verdict).toBe('stale-epoch');
    expect(zombie.fence).toBe(fence);
  });

  it('takes a lower epoch as a restart of the group once the highest epoch has been silent long enough', () => {
    const fence = judgeSnapshot(undefined, snapshot(9, t0)).fence;
    const restarted = judgeSnapshot(fence, snapshot(1, t0 + 60_001), 60_000);
    expect(restarted.verdict).toBe('epoch-reset');
    expect(restarted.fence.highestEpoch).toBe(1);
    expect(judgeSnapshot(restarted.fence, snapshot(9, t0 + 60_002)).verdict).toBe('accepted');
  });
});
