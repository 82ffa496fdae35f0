import { Registry } from 'prom-client';
import type { MetricsSnapshot } from '@wiber/schema';
import { createInstanceMetrics, LeaderGauges } from './metrics';

const snapshot: MetricsSnapshot = {
  leaderId: 'lm-1',
  epoch: 3,
  generatedAt: 1_763_870_400_000,
  windowSeconds: 60,
  messagesPerMinute: 42,
  messagesPerMinuteByPartition: [{ partition: 0, perMinute: 42 }],
  activeConversations: 7,
  activeUsers: 9,
  consumerLag: [{ group: 'wiber.ingest', topic: 'wiber.messages', partition: 0, lag: 5 }],
  dlqDepth: 2,
};

describe('instance metrics', () => {
  it('report leadership and epoch as they are at scrape time', async () => {
    const registry = new Registry();
    let leader = false;
    createInstanceMetrics(registry, { isLeader: () => leader, generationId: () => 4 });
    expect(await registry.metrics()).toMatch(/^wiber_leader 0$/m);
    leader = true;
    const text = await registry.metrics();
    expect(text).toMatch(/^wiber_leader 1$/m);
    expect(text).toMatch(/^wiber_leader_epoch 4$/m);
    expect(text).toMatch(/^wiber_leader_elections_total 0$/m);
  });
});

describe('LeaderGauges', () => {
  it('are exported only while shown, and show the snapshot figures', async () => {
    const registry = new Registry();
    const gauges = new LeaderGauges(registry);
    expect(await registry.metrics()).not.toContain('wiber_messages_per_minute');
    gauges.show(snapshot);
    let text = await registry.metrics();
    expect(text).toMatch(/^wiber_messages_per_minute 42$/m);
    expect(text).toMatch(/^wiber_messages_per_minute_by_partition\{partition="0"\} 42$/m);
    expect(text).toMatch(/^wiber_active_conversations 7$/m);
    expect(text).toMatch(/^wiber_active_users 9$/m);
    expect(text).toMatch(/^wiber_consumer_lag\{group="wiber.ingest",topic="wiber.messages",partition="0"\} 5$/m);
    expect(text).toMatch(/^wiber_dlq_depth 2$/m);
    expect(text).toMatch(/^wiber_leader_snapshot_timestamp_seconds 1763870400$/m);

    gauges.show({ ...snapshot, consumerLag: [], dlqDepth: 0 });
    text = await registry.metrics();
    expect(text).not.toContain('wiber_consumer_lag{');
    expect(text).toMatch(/^wiber_dlq_depth 0$/m);

    gauges.hide();
    text = await registry.metrics();
    expect(text).not.toMatch(/wiber_(messages_per_minute|active_|consumer_lag|dlq_depth|leader_snapshot_timestamp)/);
    gauges.hide();
    gauges.show(snapshot);
    expect(await registry.metrics()).toMatch(/^wiber_dlq_depth 2$/m);
  });
});
