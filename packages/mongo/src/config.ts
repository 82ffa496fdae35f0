import { bool, EnvError, makeValidator, positiveInt, readEnv } from '@wiber/config';

export type WriteConcernW = 'majority' | number;

export interface MongoConfig {
  uri: string;
  database: string;
  /** w: "majority" in production; a number only for single-node development */
  writeConcern: WriteConcernW;
  journal: boolean;
  serverSelectionTimeoutMs: number;
  appName: string;
}

export const LOCAL_MONGO_URI = 'mongodb://127.0.0.1:27017';

const writeConcern = makeValidator<WriteConcernW>((input) => {
  if (input === 'majority') return 'majority';
  if (/^\d+$/.test(input) && Number(input) >= 1) return Number(input);
  throw new EnvError('must be "majority" or a number of nodes >= 1');
});

/** MongoDB's rules for a database name: 1 to 63 bytes, none of / \\ . " $ * < > : | ? or a space. */
const databaseName = makeValidator<string>((input) => {
  if (!/^[^/\\. "$*<>:|?]{1,63}$/.test(input) || input.includes('\0') || Buffer.byteLength(input) > 63) {
    throw new EnvError('must be a MongoDB database name: 1 to 63 bytes without / \\ . " $ * < > : | ? or spaces');
  }
  return input;
});

const mongoUri = makeValidator<string>((input) => {
  if (!/^mongodb(\+srv)?:\/\/\S+$/.test(input)) throw new EnvError('must be a mongodb:// or mongodb+srv:// URI');
  return input;
});

/** Reads MONGO_*; defaults fit the local stack and are durable (majority, journaled). */
export function loadMongoConfig(appName: string, env: NodeJS.ProcessEnv = process.env): MongoConfig {
  const parsed = readEnv(
    {
      MONGO_URI: mongoUri({ default: LOCAL_MONGO_URI }),
      MONGO_DATABASE: databaseName({ default: 'wiber' }),
      MONGO_WRITE_CONCERN: writeConcern({ default: 'majority' }),
      MONGO_JOURNAL: bool({ default: true }),
      MONGO_SERVER_SELECTION_TIMEOUT_MS: positiveInt({ default: 5000 }),
    },
    env,
  );
  return {
    uri: parsed.MONGO_URI,
    database: parsed.MONGO_DATABASE,
    writeConcern: parsed.MONGO_WRITE_CONCERN,
    journal: parsed.MONGO_JOURNAL,
    serverSelectionTimeoutMs: parsed.MONGO_SERVER_SELECTION_TIMEOUT_MS,
    appName,
  };
}
