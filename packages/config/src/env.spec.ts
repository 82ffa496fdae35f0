import { ConfigError, hostPortList, positiveInt, readEnv, str } from './env';

const specs = {
  KAFKA_BROKERS: hostPortList({ default: ['127.0.0.1:9092'] }),
  BATCH_SIZE: positiveInt({ default: 500 }),
  SERVICE_NAME: str(),
};

describe('readEnv', () => {
  it('applies defaults and parses values', () => {
    const env = readEnv(specs, { SERVICE_NAME: 'gw', KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(env.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
    expect(env.BATCH_SIZE).toBe(500);
    expect(env.SERVICE_NAME).toBe('gw');
  });

  it('names every missing or invalid variable in one error', () => {
    let caught: unknown;
    try {
      readEnv(specs, { KAFKA_BROKERS: 'localhost', BATCH_SIZE: '0' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(Object.keys(problems).sort()).toEqual(['BATCH_SIZE', 'KAFKA_BROKERS', 'SERVICE_NAME']);
    expect(problems['SERVICE_NAME']).toBe('is required but not set');
    expect(problems['KAFKA_BROKERS']).toContain('host:port');
    expect(problems['BATCH_SIZE']).toContain('at least 1');
    expect((caught as ConfigError).message).toMatch(/^invalid configuration: /);
  });

  it.each(['1.5', '-3', 'ten', ''])('positiveInt rejects %p', (value) => {
    expect(() => readEnv({ N: positiveInt() }, { N: value })).toThrow(ConfigError);
  });

  it('hostPortList rejects ports out of range', () => {
    expect(() => readEnv({ B: hostPortList() }, { B: 'a:70000' })).toThrow(/bad entries: a:70000/);
  });
});
