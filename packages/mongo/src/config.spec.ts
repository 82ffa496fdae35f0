import { loadMongoConfig } from './config';

describe('loadMongoConfig', () => {
  it('defaults to the local server with majority, journaled writes', () => {
    expect(loadMongoConfig('ingest', {})).toEqual({
      uri: 'mongodb://127.0.0.1:27017',
      database: 'wiber',
      writeConcern: 'majority',
      journal: true,
      serverSelectionTimeoutMs: 5000,
      appName: 'ingest',
    });
  });

  it('accepts a numeric write concern and a replica-set URI', () => {
    const config = loadMongoConfig('ingest', {
      MONGO_URI: 'mongodb://wiber:secret@mongo-1,mongo-2,mongo-3/?replicaSet=rs0&authSource=admin',
      MONGO_WRITE_CONCERN: '1',
      MONGO_JOURNAL: 'false',
    });
    expect(config.writeConcern).toBe(1);
    expect(config.journal).toBe(false);
  });

  it.each([
    ['MONGO_URI', 'postgres://x'],
    ['MONGO_WRITE_CONCERN', 'all'],
    ['MONGO_SERVER_SELECTION_TIMEOUT_MS', 'soon'],
  ])('names %s when it is invalid', (name, value) => {
    expect(() => loadMongoConfig('ingest', { [name]: value })).toThrow(new RegExp(name));
  });
});
