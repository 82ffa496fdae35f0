import { Registry } from 'prom-client';
import type { MetricsSnapshot } from '@wiber/schema';
import type { LoggerLike } from '@wiber/kafka';
import type { Figures } from './figures';
import { LeaderLoop, type LeaderLoopDeps } from './leader-loop';
import { createInstanceMetrics } from './metrics';

const quiet: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
const figures: Figures = {
  rateWindowSeconds: 60,
  messagesInWindow: [{ partition: 0, count: 5 }],
  activity: { activeConversations: 1, activeUsers: 2 },
  ingestLag: [],
  replayerLag: [],
};

interface Harness {
  loop: LeaderLoop;
  published: MetricsSnapshot[];
  shown: MetricsSnapshot[];
  counter: (name: string, labels?: Record<string, string>) => Promise<number>;
  state: { epoch: number | undefined; leaderAfterPublish: boolean };
}

function harness(overrides: Partial<LeaderLoopDeps> = {}): Harness {
  const registry = new Registry();
  const metrics = createInstanceMetrics(registry, { isLeader: () => true, generationId: () => 1 });
  const published: MetricsSnapshot[] = [];
  const shown: MetricsSnapshot[] = [];
  const state: Harness['state'] = { epoch: 4, leaderAfterPublish: true };
  let sending = false;
  const loop = new LeaderLoop({
    instanceId: 'lm-1',
    intervalMs: 60_000,
    collectTimeoutMs: 200,
    epoch: () => state.epoch,
    isLeaderIn: (epoch) => epoch === state.epoch && (!sending || state.leaderAfterPublish),
    collect: async () => figures,
    publish: async (snapshot, stillLeader) => {
      if (!stillLeader()) return 'fenced';
      published.push(snapshot);
      sending = true;
      return 'published';
    },
    onPublished: (snapshot) => shown.push(snapshot),
    metrics,
    logger: quiet,
    ...overrides,
  });
  const counter = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
  };
  return { loop, published, shown, counter, state };
}

describe('LeaderLoop.round', () => {
  it('publishes the figures stamped with the epoch and shows them while still leader', async () => {
    const h = harness();
    await h.loop.round();
    expect(h.published).toHaveLength(1);
    expect(h.published[0]).toMatchObject({ leaderId: 'lm-1', epoch: 4, messagesPerMinute: 5, activeUsers: 2 });
    expect(h.shown).toEqual(h.published);
    expect(await h.counter('wiber_leader_snapshots_published_total')).toBe(1);
  });

  it('does nothing on a follower', async () => {
    const h = harness();
    h.state.epoch = undefined;
    await h.loop.round();
    expect(h.published).toEqual([]);
  });

  it('discards the snapshot when leadership ended while collecting', async () => {
    const h = harness({
      collect: async () => {
        h.state.epoch = 5; // a rebalance happened meanwhile
        return figures;
      },
    });
    await h.loop.round();
    expect(h.published).toEqual([]);
    expect(await h.counter('wiber_leader_snapshot_failures_total', { stage: 'fenced' })).toBe(1);
  });

  it('does not show figures published just before leadership ended', async () => {
    const h = harness();
    h.state.leaderAfterPublish = false;
    await h.loop.round();
    expect(h.published).toHaveLength(1);
    expect(h.shown).toEqual([]);
  });

  it('skips the round when a source fails or is too slow', async () => {
    const failing = harness({ collect: () => Promise.reject(new Error('mongo down')) });
    await failing.loop.round();
    const slow = harness({ collect: () => new Promise<Figures>(() => undefined) });
    await slow.loop.round();
    for (const h of [failing, slow]) {
      expect(h.published).toEqual([]);
      expect(await h.counter('wiber_leader_snapshot_failures_total', { stage: 'collect' })).toBe(1);
    }
  });

  it('counts a refused send as a publish failure', async () => {
    const h = harness({ publish: () => Promise.reject(new Error('not enough replicas')) });
    await h.loop.round();
    expect(await h.counter('wiber_leader_snapshot_failures_total', { stage: 'publish' })).toBe(1);
  });
});
