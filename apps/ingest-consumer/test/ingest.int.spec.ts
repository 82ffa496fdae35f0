import { chatMessages, KafkaFixture } from './support/kafka-fixture';
import { MONGO_URI, waitFor } from '@wiber/testing';
import { ingestEnv, uniqueNames, type TestNames } from './support/environment';
import { InProcessService } from './support/in-process-service';
import { committedButNotStored } from './support/invariants';
import { MongoFixture } from './support/mongo-fixture';

describe('ingest-consumer on the local stack', () => {
  let names: TestNames;
  let kafka: KafkaFixture;
  let mongo: MongoFixture;
  let app: InProcessService | undefined;

  beforeEach(async () => {
    names = uniqueNames(expect.getState().currentTestName?.slice(0, 12).replace(/\W+/g, '-') ?? 'ingest');
    kafka = new KafkaFixture(names.topic, names.dlqTopic);
    await kafka.setUp().catch((error: Error) => {
      throw new Error(`${error.message} — is the local stack up? (npm run stack -- up)`);
    });
    mongo = new MongoFixture(MONGO_URI, names.database);
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await kafka.tearDown(names.groupId);
    await mongo.dropAndClose();
  });

  it('stores every produced message exactly once; the same messageId produced twice is stored once and counted as a duplicate', async () => {
    const messages = chatMessages(1200);
    const resent = messages[7];
    if (resent === undefined) throw new Error('no message to resend');
    // keyed by conversationId through the gateway's path: Avro via the registry, correlation header set
    await kafka.sendMessages([...messages, resent]);
    const produced = messages.length + 1;

    app = new InProcessService(ingestEnv(names, { INGEST_BATCH_SIZE: '100' }));
    const started = Date.now();
    await app.start();
    await waitFor('every record to be committed', async () => (await kafka.totalCommitted(names.groupId)) === produced, 90_000);
    const drainMs = Date.now() - started;
    process.stdout.write(`drained ${produced} records (6 partitions, batch size 100) in ${drainMs} ms from start\n`);

    const stored = await mongo.summary();
    expect(stored.count).toBe(messages.length);
    expect(stored.distinctMessageIds).toBe(messages.length);
    expect(await app.metric('wiber_ingest_messages_total', { result: 'inserted' })).toBe(messages.length);
    expect(await app.metric('wiber_ingest_messages_total', { result: 'duplicate' })).toBe(1);
    expect(await app.metric('wiber_ingest_messages_total', { result: 'failed' })).toBe(0);
    // partitions no conversation hashed to have nothing to commit
    const ends = new Map([...(await kafka.endOffsets())].filter(([, end]) => end > 0));
    expect(await kafka.committedOffsets(names.groupId)).toEqual(ends);

    const sample = await mongo.find(resent.messageId);
    // every committed offset is stored, except the resent copy (the last record of its partition),
    // whose messageId is stored under the offset of its first copy
    const resentPartition = sample?.kafka.partition ?? -1;
    expect(committedButNotStored(ends, stored)).toEqual([`${resentPartition}@${(ends.get(resentPartition) ?? 0) - 1}`]);
    expect(sample).toMatchObject({
      messageId: resent.messageId,
      conversationId: resent.conversationId,
      fromUser: resent.fromUser,
      toUser: resent.toUser,
      content: resent.content,
      sentAt: new Date(resent.sentAt),
      clientMessageId: null,
      kafka: { topic: names.topic },
    });
    expect(sample?.storedAt).toBeInstanceOf(Date);

    const report = await app.service.readiness['kafka']?.();
    expect(report).toBe(`member of ${names.groupId}`);
    expect(await app.metric('wiber_ingest_assigned_partitions')).toBe(6);
  }, 120_000);
});
