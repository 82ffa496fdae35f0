import { MongoClient } from 'mongodb';
import type { MessageDocument } from '@wiber/mongo';

export interface StoredSummary {
  count: number;
  distinctMessageIds: number;
  /** stored Kafka offsets per partition */
  offsets: Map<number, Set<number>>;
}

/** Reads what the consumer stored, through its own client. */
export class MongoFixture {
  private readonly client: MongoClient;

  constructor(
    uri: string,
    private readonly database: string,
  ) {
    this.client = new MongoClient(uri, { serverSelectionTimeoutMS: 2_000 });
  }

  private messages() {
    return this.client.db(this.database).collection<MessageDocument>('messages');
  }

  count(): Promise<number> {
    return this.messages().countDocuments({});
  }

  async summary(): Promise<StoredSummary> {
    const docs = await this.messages().find({}, { projection: { _id: 0, messageId: 1, kafka: 1 } }).toArray();
    const offsets = new Map<number, Set<number>>();
    for (const doc of docs) {
      const set = offsets.get(doc.kafka.partition) ?? new Set<number>();
      set.add(Number(doc.kafka.offset));
      offsets.set(doc.kafka.partition, set);
    }
    return { count: docs.length, distinctMessageIds: new Set(docs.map((d) => d.messageId)).size, offsets };
  }

  find(messageId: string): Promise<MessageDocument | null> {
    return this.messages().findOne({ messageId }, { projection: { _id: 0 } });
  }

  async dropAndClose(): Promise<void> {
    await this.client.db(this.database).dropDatabase().catch(() => undefined);
    await this.client.close();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
