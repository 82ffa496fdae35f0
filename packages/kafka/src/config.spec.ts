import { ConfigError } from '@wiber/config';
import { LOCAL_BROKERS, loadKafkaConfig } from './config';

describe('loadKafkaConfig', () => {
  it('defaults to the local stack', () => {
    const config = loadKafkaConfig('gateway', {});
    expect(config).toEqual({
      brokers: LOCAL_BROKERS,
      clientId: 'gateway',
      ssl: false,
      connectionTimeoutMs: 3000,
      requestTimeoutMs: 30000,
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
    });
  });

  it('reads overrides and trims a trailing slash from the registry URL', () => {
    const config = loadKafkaConfig('gateway', {
      KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
      KAFKA_SSL: 'true',
      SCHEMA_REGISTRY_URL: 'http://schema-registry:8081/',
    });
    expect(config.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.ssl).toBe(true);
    expect(config.schemaRegistryUrl).toBe('http://schema-registry:8081');
  });

  it('names the bad variable', () => {
    expect(() => loadKafkaConfig('gateway', { KAFKA_BROKERS: 'kafka-1' })).toThrow(ConfigError);
    expect(() => loadKafkaConfig('gateway', { KAFKA_BROKERS: 'kafka-1' })).toThrow(/KAFKA_BROKERS/);
    expect(() => loadKafkaConfig('gateway', { SCHEMA_REGISTRY_URL: 'not a url' })).toThrow(/SCHEMA_REGISTRY_URL/);
    expect(() => loadKafkaConfig('gateway', { KAFKA_REQUEST_TIMEOUT_MS: '0' })).toThrow(/KAFKA_REQUEST_TIMEOUT_MS/);
  });
});
