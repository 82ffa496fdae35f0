import { ConfigError, httpUrl, nonEmptyStr, oneLine, readEnv, topicName } from './env';

describe('oneLine', () => {
  it('escapes line breaks and other control characters, leaving the rest as it is', () => {
    expect(oneLine('a\nb\r\nc\td\u001b[31m\u2028é')).toBe('a\\nb\\r\\nc\\td\\u001b[31m\\u2028é');
  });

  it('keeps every ConfigError problem, and so its message, on one line', () => {
    const error = new ConfigError({ LOG_LEVEL: 'is invalid (got "info\nerror")' });
    expect(error.message).toBe('invalid configuration: LOG_LEVEL is invalid (got "info\\nerror")');
    expect(error.problems['LOG_LEVEL']).toBe('is invalid (got "info\\nerror")');
  });
});

describe('validators', () => {
  const read = (spec: Parameters<typeof readEnv>[0], value: string) => readEnv(spec, { V: value })['V'];

  it.each(['wiber.messages', 'test.ingest.a-b_c', 'x'.repeat(249)])('topicName accepts %p', (value) => {
    expect(read({ V: topicName() }, value)).toBe(value);
  });

  it.each(['', '.', '..', 'has space', 'a/b', 'x'.repeat(250), 'tab\tname'])('topicName rejects %p', (value) => {
    expect(() => read({ V: topicName() }, value)).toThrow(/V is invalid \(must be a Kafka topic name/);
  });

  it.each(['', ' ', '\t'])('nonEmptyStr rejects %p', (value) => {
    expect(() => read({ V: nonEmptyStr() }, value)).toThrow(/V is invalid \(must not be empty/);
  });

  it.each(['http://127.0.0.1:8081/apis/ccompat/v7', 'https://registry.example.com'])('httpUrl accepts %p', (value) => {
    expect(read({ V: httpUrl() }, value)).toBe(value);
  });

  it.each(['registry:8081', '127.0.0.1:8081', 'ftp://host/x', 'file:///etc/jwks.json', 'not a url', ''])('httpUrl rejects %p', (value) => {
    expect(() => read({ V: httpUrl() }, value)).toThrow(/V is invalid \(must be an http:\/\/ or https:\/\/ URL/);
  });
});
