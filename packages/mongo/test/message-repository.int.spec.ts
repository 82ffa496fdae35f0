import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { connectMongo, decodeCursor, loadMongoConfig, MessageRepository, type MessageDocument, type MongoConnection } from '../src';

function message(conversationId: string, from: string, to: string, sentAt: number, n: number): MessageDocument {
  return {
    messageId: randomUUID(),
    conversationId,
    fromUser: from,
    toUser: to,
    content: `message ${n}`,
    sentAt: new Date(sentAt),
    clientMessageId: null,
    kafka: { topic: 'wiber.messages', partition: 0, offset: String(n) },
    storedAt: new Date(),
  };
}

describe('MessageRepository against the local Mongo server', () => {
  let connection: MongoConnection;
  let db: Db;
  let repo: MessageRepository;

  beforeAll(async () => {
    const config = { ...loadMongoConfig('mongo-int-test'), database: `wiber_test_${randomUUID().slice(0, 8)}` };
    connection = await connectMongo({ ...config, serverSelectionTimeoutMs: 3000 }).catch((error: Error) => {
      throw new Error(`${error.message} — is the local stack up? (npm run stack -- up)`);
    });
    db = connection.db;
    repo = new MessageRepository(db);
    await repo.ensureIndexes();
  });

  afterAll(async () => {
    await db.dropDatabase();
    await connection.client.close();
  });

  it('stores a message inserted twice once and reports the duplicate', async () => {
    const a = message('alice:bob', 'alice', 'bob', Date.now(), 1);
    const b = message('alice:bob', 'bob', 'alice', Date.now(), 2);
    expect(await repo.insertMany([a])).toEqual({ inserted: 1, duplicates: 0, rejected: [] });
    expect(await repo.insertMany([a, b, { ...a }])).toEqual({ inserted: 1, duplicates: 2, rejected: [] });
    expect(await repo.countConversation('alice:bob')).toBe(2);
  });

  it('pages a conversation in both directions, in order, with no gaps or repeats', async () => {
    const conversationId = 'carol:dave';
    const start = Date.UTC(2026, 0, 1);
    // 25 messages alternating direction; several share a timestamp to exercise the tie-break
    const all = Array.from({ length: 25 }, (_, i) =>
      i % 2 === 0
        ? message(conversationId, 'carol', 'dave', start + Math.floor(i / 3) * 1000, i)
        : message(conversationId, 'dave', 'carol', start + Math.floor(i / 3) * 1000, i),
    );
    await repo.insertMany([...all].reverse());
    await repo.insertMany([message('carol:erin', 'carol', 'erin', start, 99)]);
    const expected = [...all].sort((x, y) => x.sentAt.getTime() - y.sentAt.getTime() || (x.messageId < y.messageId ? -1 : 1));

    const viaCursor: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await repo.pageAfter(conversationId, cursor === null ? null : decodeCursor(cursor), 7);
      viaCursor.push(...page.messages.map((m) => m.messageId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(viaCursor).toEqual(expected.map((m) => m.messageId));

    const viaOffset: string[] = [];
    for (let offset = 0; offset < 30; offset += 7) {
      const page = await repo.pageByOffset(conversationId, offset, 7);
      viaOffset.push(...page.messages.map((m) => m.messageId));
    }
    expect(viaOffset).toEqual(expected.map((m) => m.messageId));
    const directions = new Set(viaOffset.map((id) => all.find((m) => m.messageId === id)?.fromUser));
    expect(directions).toEqual(new Set(['carol', 'dave']));
  });

  it('ensureIndexes can run again, as on every service restart', async () => {
    await expect(repo.ensureIndexes()).resolves.toBeUndefined();
    const names = (await db.collection('messages').listIndexes().toArray()).map((index) => String(index['name']));
    expect(names).toEqual(expect.arrayContaining(['messageId_unique', 'conversation_order']));
  });

  it('counts all messages', async () => {
    expect(await repo.count()).toBe(2 + 25 + 1);
  });
});
