import { ConfigError } from '@wiber/config';
import { loadLeaderMetricsConfig } from './config';

describe('loadLeaderMetricsConfig', () => {
  it('defaults to the design names, 15 s rounds and a 10 s session', () => {
    const config = loadLeaderMetricsConfig({ LEADER_INSTANCE_ID: 'lm-1' });
    expect(config).toMatchObject({
      instanceId: 'lm-1',
      metricsPort: 9201,
      metricsTopic: 'wiber.metrics',
      intervalMs: 15_000,
      rateWindowSeconds: 60,
      activityWindowSeconds: 300,
      election: {
        groupId: 'wiber.leader-metrics',
        topic: 'wiber.leader-election',
        sessionTimeoutMs: 10_000,
        heartbeatIntervalMs: 1_000,
        leaseMarginMs: 2_000,
      },
      sources: {
        messagesTopic: 'wiber.messages',
        dlqTopic: 'wiber.messages.dlq',
        ingestGroupId: 'wiber.ingest',
        replayerGroupId: 'wiber.dlq-replayer',
      },
    });
    expect(config.kafka.clientId).toBe('leader-metrics');
    expect(config.mongo.database).toBe('wiber');
  });

  it('derives the heartbeat from the session timeout unless set', () => {
    expect(loadLeaderMetricsConfig({ LEADER_SESSION_TIMEOUT_MS: '6000' }).election).toMatchObject({
      heartbeatIntervalMs: 600,
      leaseMarginMs: 1_200,
    });
    expect(loadLeaderMetricsConfig({ LEADER_HEARTBEAT_INTERVAL_MS: '2000' }).election.heartbeatIntervalMs).toBe(2_000);
  });

  it.each([
    ['LEADER_INTERVAL_SECONDS', '0'],
    ['LEADER_METRICS_PORT', '70000'],
    ['LEADER_SESSION_TIMEOUT_MS', 'ten'],
    ['LEADER_HEARTBEAT_INTERVAL_MS', '4000'],
    ['LOG_LEVEL', 'verbose'],
    ['KAFKA_BROKERS', 'nohost'],
    ['MONGO_URI', 'http://x'],
  ])('names %s when it is invalid', (name, value) => {
    expect(() => loadLeaderMetricsConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadLeaderMetricsConfig({ [name]: value })).toThrow(new RegExp(`^invalid configuration: ${name} `));
  });

  it('reports every bad variable at once', () => {
    try {
      loadLeaderMetricsConfig({ LEADER_INTERVAL_SECONDS: '-1', KAFKA_BROKERS: 'x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(Object.keys((error as ConfigError).problems).sort()).toEqual(['KAFKA_BROKERS', 'LEADER_INTERVAL_SECONDS']);
    }
  });
});
