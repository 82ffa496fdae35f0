import { MongoClient } from 'mongodb';
import { AppProcess, BROKERS, freePort, MONGO_URI, SCHEMA_REGISTRY_URL } from '@wiber/testing';
import type { TestNames } from './stack';

/**
 * The real ingest-consumer as a child process, consuming this test's source topic into this
 * test's database and dead-lettering into this test's DLQ (apps talk only through Kafka).
 */
export async function startIngestConsumer(names: TestNames, overrides: Record<string, string> = {}): Promise<AppProcess> {
  return new AppProcess('apps/ingest-consumer', {
    KAFKA_BROKERS: BROKERS,
    SCHEMA_REGISTRY_URL,
    MONGO_URI,
    MONGO_DATABASE: names.database,
    INGEST_TOPIC: names.source,
    INGEST_DLQ_TOPIC: names.dlq,
    INGEST_GROUP_ID: names.ingestGroup,
    INGEST_METRICS_PORT: String(await freePort()),
    INGEST_INSTANCE_ID: 'dlq-replayer-int-test',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
}

/** What the ingest-consumer stored, read through a client of its own. */
export class StoredMessages {
  private readonly client = new MongoClient(MONGO_URI, { serverSelectionTimeoutMS: 2_000 });

  constructor(private readonly database: string) {}

  private collection() {
    return this.client.db(this.database).collection<{ messageId: string }>('messages');
  }

  count(): Promise<number> {
    return this.collection().countDocuments({});
  }

  async copiesOf(messageId: string): Promise<number> {
    return this.collection().countDocuments({ messageId });
  }

  async distinctIds(): Promise<number> {
    return (await this.collection().distinct('messageId')).length;
  }

  async dropAndClose(): Promise<void> {
    await this.client.db(this.database).dropDatabase().catch(() => undefined);
    await this.client.close();
  }
}
