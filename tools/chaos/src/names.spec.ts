import { newRunId, runNames } from './names';

describe('runNames', () => {
  it('derives every private name from the scenario and run id', () => {
    const names = runNames('broker-kill', 'abc123');
    expect(names).toEqual({
      runId: 'abc123',
      topic: 'chaos.broker-kill.abc123.messages',
      dlqTopic: 'chaos.broker-kill.abc123.dlq',
      ingestGroupId: 'chaos.broker-kill.abc123.ingest',
      database: 'chaos_broker_kill_abc123',
      leaderGroupId: 'chaos.broker-kill.abc123.leader',
      electionTopic: 'chaos.broker-kill.abc123.election',
      metricsTopic: 'chaos.broker-kill.abc123.metrics',
      replayerGroupId: 'chaos.broker-kill.abc123.replayer',
    });
  });

  it('makes run ids that differ between runs and fit an Idempotency-Key', () => {
    expect(newRunId(1_000, () => 0)).toBe('rs0000');
    expect(newRunId(1_000, () => 0.5)).not.toBe(newRunId(1_000, () => 0.25));
    expect(newRunId()).toMatch(/^[0-9a-z]+$/);
  });
});
