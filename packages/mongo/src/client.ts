import { MongoClient, MongoNetworkError, MongoServerSelectionError, MongoTopologyClosedError, type Db } from 'mongodb';
import type { MongoConfig } from './config';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
}

export interface BackgroundMongoConnection extends MongoConnection {
  /** resolves when the first connect succeeded (never rejects; stops trying on close) */
  connected: Promise<void>;
  close(): Promise<void>;
}

function createClient(config: MongoConfig): MongoClient {
  return new MongoClient(config.uri, {
    appName: config.appName,
    serverSelectionTimeoutMS: config.serverSelectionTimeoutMs,
    writeConcern: { w: config.writeConcern, journal: config.journal },
    retryWrites: true,
  });
}

/**
 * Connects now, with the configured write concern applied to every write by default;
 * rejects if Mongo cannot be reached. Once connected, the driver rides out outages itself.
 */
export async function connectMongo(config: MongoConfig): Promise<MongoConnection> {
  const client = createClient(config);
  await client.connect();
  return { client, db: client.db(config.database) };
}

/**
 * For services that must start while Mongo is down: keeps trying to connect in the
 * background. Operations before the first success fail fast (unavailable). The retry loop
 * matters: after a failed first connect the driver closes the topology for good and only an
 * explicit connect() opens it again.
 */
export function createMongoConnection(
  config: MongoConfig,
  onRetry: (error: unknown, delayMs: number) => void = () => undefined,
): BackgroundMongoConnection {
  const client = createClient(config);
  let closed = false;
  const connected = (async () => {
    for (let delayMs = 250; !closed; delayMs = Math.min(delayMs * 2, 5000)) {
      try {
        await client.connect();
        return;
      } catch (error) {
        if (closed) return;
        onRetry(error, delayMs);
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      }
    }
  })();
  return {
    client,
    db: client.db(config.database),
    connected,
    close: async () => {
      closed = true;
      await client.close();
    },
  };
}

export async function pingMongo(db: Db): Promise<void> {
  await db.command({ ping: 1 });
}

/**
 * True for errors that mean "the database is unreachable right now": retry, do not give up.
 * A failed automatic connect closes the topology under operations waiting on it; the next
 * operation connects again, so that counts as unavailable too.
 */
export function isMongoUnavailable(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError || error instanceof MongoServerSelectionError || error instanceof MongoTopologyClosedError
  );
}
