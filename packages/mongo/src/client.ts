import { MongoClient, MongoNetworkError, MongoServerSelectionError, type Db } from 'mongodb';
import type { MongoConfig } from './config';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
}

/**
 * A client with the configured write concern applied to every write by default. It connects
 * on first use and reconnects by itself, so a service can start while Mongo is down.
 */
export function createMongoConnection(config: MongoConfig): MongoConnection {
  const client = new MongoClient(config.uri, {
    appName: config.appName,
    serverSelectionTimeoutMS: config.serverSelectionTimeoutMs,
    writeConcern: { w: config.writeConcern, journal: config.journal },
    retryWrites: true,
  });
  return { client, db: client.db(config.database) };
}

/** Like createMongoConnection, but fails now if Mongo cannot be reached. */
export async function connectMongo(config: MongoConfig): Promise<MongoConnection> {
  const connection = createMongoConnection(config);
  await connection.client.connect();
  return connection;
}

export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}

/** True for errors that mean "the database is unreachable right now": retry, do not give up. */
export function isMongoUnavailable(error: unknown): boolean {
  return error instanceof MongoNetworkError || error instanceof MongoServerSelectionError;
}
