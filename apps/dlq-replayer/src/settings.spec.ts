import { CliError, EXIT } from './exit-codes';
import { loadSettings } from './settings';

describe('loadSettings', () => {
  it('defaults to the design and the local stack', () => {
    const settings = loadSettings({ timeout: 10 }, undefined, {});
    expect(settings).toMatchObject({ dlqTopic: 'wiber.messages.dlq', groupId: 'wiber.dlq-replayer', timeoutMs: 10_000, verbose: false });
    expect(settings.kafka.brokers).toEqual(['127.0.0.1:9092', '127.0.0.1:9093', '127.0.0.1:9094']);
    expect(settings.kafka.clientId).toBe('dlq-replayer');
  });

  it('lets flags win over the environment', () => {
    const env = { KAFKA_BROKERS: 'k1:9092', DLQ_TOPIC: 'env.dlq', DLQ_REPLAYER_GROUP_ID: 'env-group', SCHEMA_REGISTRY_URL: 'http://env:8081/' };
    expect(loadSettings({ timeout: 3 }, undefined, env)).toMatchObject({ dlqTopic: 'env.dlq', groupId: 'env-group', kafka: { brokers: ['k1:9092'], schemaRegistryUrl: 'http://env:8081' } });
    const flagged = loadSettings({ timeout: 3, brokers: 'k2:9092,k3:9092', dlqTopic: 'flag.dlq', registryUrl: 'http://flag:8081' }, 'flag-group', env);
    expect(flagged).toMatchObject({ dlqTopic: 'flag.dlq', groupId: 'flag-group', kafka: { brokers: ['k2:9092', 'k3:9092'], schemaRegistryUrl: 'http://flag:8081' } });
  });

  it('names a bad flag as the flag (usage, exit 2) and a bad variable as the variable (exit 78)', () => {
    const bad = (fn: () => unknown): CliError => {
      try {
        fn();
      } catch (error) {
        if (error instanceof CliError) return error;
      }
      throw new Error('expected a CliError');
    };
    const flag = bad(() => loadSettings({ timeout: 3, brokers: 'nohost' }, undefined, {}));
    expect([flag.exitCode, flag.message]).toEqual([EXIT.usage, expect.stringMatching(/^option --brokers is invalid/)]);
    const url = bad(() => loadSettings({ timeout: 3, registryUrl: 'not a url' }, undefined, {}));
    expect([url.exitCode, url.message]).toEqual([EXIT.usage, expect.stringMatching(/^option --registry-url is invalid/)]);
    const variable = bad(() => loadSettings({ timeout: 3 }, undefined, { KAFKA_BROKERS: 'nohost' }));
    expect([variable.exitCode, variable.message]).toEqual([EXIT.config, expect.stringMatching(/^invalid configuration: KAFKA_BROKERS is invalid/)]);
  });
});
