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
    kafka = new KafkaFixture(names.topic);
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

  it('does not let an undecodable or invalid record block its partition: the good records after it are stored', async () => {
    const conversation = chatMessages(1)[0];
    if (conversation === undefined) throw new Error('no message');
    const sameConversation = (n: number, label: string) =>
      chatMessages(n, label).map((m) => ({ ...m, fromUser: conversation.fromUser, toUser: conversation.toUser, conversationId: conversation.conversationId }));
    const before = sameConversation(5, 'before');
    const after = sameConversation(5, 'after');
    const key = conversation.conversationId;
    const [invalidBase] = sameConversation(1, 'invalid');
    if (invalidBase === undefined) throw new Error('no message');
    const invalid = { ...invalidBase, conversationId: `${conversation.toUser}:${conversation.fromUser}x` };
    await kafka.send([
      ...before.map((m) => kafka.encode(m)),
      { key, value: Buffer.from([0x01, 0x00, 0x00, 0x00, 0x01, 0x02]), correlationId: 'poison-magic' },
      { key, value: Buffer.from([0x00, 0x00]), correlationId: 'poison-truncated' },
      { ...kafka.encode(invalid), key, correlationId: 'poison-invalid' },
      ...after.map((m) => kafka.encode(m)),
    ]);

    app = new InProcessService(ingestEnv(names));
    await app.start();
    await waitFor('all 13 records of the partition to be committed', async () => (await kafka.totalCommitted(names.groupId)) === 13, 60_000);

    const stored = await mongo.summary();
    expect(stored.count).toBe(10);
    for (const message of after) expect(await mongo.find(message.messageId)).not.toBeNull();
    expect(await app.metric('wiber_ingest_unprocessable_total', { reason: 'bad-magic-byte' })).toBe(1);
    expect(await app.metric('wiber_ingest_unprocessable_total', { reason: 'truncated-header' })).toBe(1);
    expect(await app.metric('wiber_ingest_unprocessable_total', { reason: 'invalid-message' })).toBe(1);
    expect(await app.metric('wiber_ingest_messages_total', { result: 'failed' })).toBe(3);

    const skipped = app.logs.filter((line) => line['message'] === 'skipping a record that cannot be stored');
    expect(skipped.map((line) => [line['offset'], line['reason'], line['correlationId'], line['topic']])).toEqual([
      ['5', 'bad-magic-byte', 'poison-magic', names.topic],
      ['6', 'truncated-header', 'poison-truncated', names.topic],
      ['7', 'invalid-message', 'poison-invalid', names.topic],
    ]);
    expect(typeof skipped[0]?.['partition']).toBe('number');
  }, 90_000);
});
