import { ConfigError } from '@wiber/config';
import { CONSUMER_GROUPS, TOPICS } from '@wiber/kafka';
import { loadIngestConfig } from './config';

describe('loadIngestConfig', () => {
  it('defaults to the design: wiber.ingest on wiber.messages, batches of 500, metrics on 9101', () => {
    const config = loadIngestConfig({});
    expect(config).toMatchObject({
      topic: TOPICS.messages,
      groupId: CONSUMER_GROUPS.ingest,
      batchSize: 500,
      metricsPort: 9101,
      logLevel: 'info',
      retry: { initialDelayMs: 200, maxDelayMs: 10_000 },
      fetch: { maxWaitTimeMs: 500, minBytes: 1 },
      dlqTopic: TOPICS.messagesDlq,
      recordRetries: 3,
      recordRetry: { initialDelayMs: 500, maxDelayMs: 5_000 },
    });
    expect(config.kafka.clientId).toBe('ingest-consumer');
    expect(config.mongo.database).toBe('wiber');
  });

  it('reads overrides, so a second local instance and tests can use their own port, topic, group and database', () => {
    const config = loadIngestConfig({
      INGEST_METRICS_PORT: '9102',
      INGEST_TOPIC: 'test.topic',
      INGEST_GROUP_ID: 'test-group',
      INGEST_BATCH_SIZE: '50',
      MONGO_DATABASE: 'wiber_test',
      LOG_LEVEL: 'debug',
      INGEST_DLQ_TOPIC: 'test.topic.dlq',
      INGEST_RECORD_RETRIES: '0',
    });
    expect(config).toMatchObject({ metricsPort: 9102, topic: 'test.topic', groupId: 'test-group', batchSize: 50, logLevel: 'debug' });
    expect(config).toMatchObject({ dlqTopic: 'test.topic.dlq', recordRetries: 0 });
    expect(config.mongo.database).toBe('wiber_test');
  });

  it.each([
    ['INGEST_BATCH_SIZE', '0'],
    ['INGEST_BATCH_SIZE', 'lots'],
    ['INGEST_METRICS_PORT', '70000'],
    ['LOG_LEVEL', 'verbose'],
    ['INGEST_RETRY_INITIAL_MS', '-5'],
    ['INGEST_RECORD_RETRIES', '-1'],
    ['INGEST_RECORD_RETRIES', 'two'],
    ['INGEST_DLQ_TOPIC', 'wiber.messages'],
  ])('names %s=%p as the problem', (name, value) => {
    expect(() => loadIngestConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadIngestConfig({ [name]: value })).toThrow(new RegExp(`^invalid configuration: ${name} `));
  });

  it('rejects a maximum retry delay below the initial one', () => {
    expect(() => loadIngestConfig({ INGEST_RETRY_INITIAL_MS: '5000', INGEST_RETRY_MAX_MS: '100' })).toThrow(/INGEST_RETRY_MAX_MS/);
    expect(() => loadIngestConfig({ INGEST_RECORD_RETRY_INITIAL_MS: '5000', INGEST_RECORD_RETRY_MAX_MS: '100' })).toThrow(/INGEST_RECORD_RETRY_MAX_MS/);
  });

  it('reports problems of Kafka, Mongo and ingest variables together', () => {
    let caught: unknown;
    try {
      loadIngestConfig({ KAFKA_BROKERS: 'nohost', MONGO_URI: 'http://x', INGEST_BATCH_SIZE: '0' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(Object.keys((caught as ConfigError).problems).sort()).toEqual(['INGEST_BATCH_SIZE', 'KAFKA_BROKERS', 'MONGO_URI']);
  });
});
