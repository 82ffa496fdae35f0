import { chatMessages, KafkaFixture } from './support/kafka-fixture';
import { PrivateFerretDb, waitFor } from '@wiber/testing';
import { ingestEnv, uniqueNames, type TestNames } from './support/environment';
import { InProcessService } from './support/in-process-service';
import { committedButNotStored } from './support/invariants';
import { MongoFixture } from './support/mongo-fixture';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The consumer writes to a private FerretDB that this test starts, kills (SIGKILL) and
 * restarts on the same port and data; the shared local stack's Mongo is not touched.
 */
describe('ingest-consumer while Mongo is unavailable', () => {
  let names: TestNames;
  let kafka: KafkaFixture;
  const ferret = new PrivateFerretDb();
  let mongo: MongoFixture | undefined;
  let app: InProcessService | undefined;

  beforeAll(async () => {
    names = uniqueNames('outage');
    kafka = new KafkaFixture(names.topic, names.dlqTopic);
    await kafka.setUp().catch((error: Error) => {
      throw new Error(`${error.message} — is the local stack up? (npm run stack -- up)`);
    });
    await ferret.allocate();
  });

  afterAll(async () => {
    await app?.stop();
    await mongo?.close();
    await ferret.destroy();
    await kafka.tearDown(names.groupId);
  });

  it('commits nothing while it cannot write, pauses with backoff through a 20 s outage, and stores everything once Mongo is back', async () => {
    const env = ingestEnv(names, {
      MONGO_URI: ferret.uri,
      MONGO_SERVER_SELECTION_TIMEOUT_MS: '1000',
      INGEST_WRITE_TIMEOUT_MS: '3000',
      INGEST_RETRY_INITIAL_MS: '100',
      INGEST_RETRY_MAX_MS: '1000',
      INGEST_BATCH_SIZE: '50',
    });

    // 1. nothing listens on the Mongo port yet: the service waits instead of crashing or consuming
    app = new InProcessService(env);
    const starting = app.start();
    await kafka.sendMessages(chatMessages(60, 'first'));
    await sleep(3_000);
    expect(await kafka.committedOffsets(names.groupId)).toEqual(new Map());
    expect(await app.metric('wiber_ingest_retries_total', { operation: 'startup' })).toBeGreaterThanOrEqual(2);
    expect(await app.metric('wiber_ingest_circuit_open')).toBe(1);
    await expect(app.service.readiness['mongo']?.()).rejects.toThrow(/not connected/);

    // 2. Mongo comes up: the service connects by itself and drains
    await ferret.start();
    await starting;
    mongo = new MongoFixture(ferret.uri, names.database);
    await waitFor('the first 60 records to be committed', async () => (await kafka.totalCommitted(names.groupId)) === 60, 60_000);
    expect(await mongo.count()).toBe(60);
    expect(await app.metric('wiber_ingest_circuit_open')).toBe(0);

    // 3. Mongo dies mid-stream and stays down for 20 s while the stream goes on: consumption
    //    pauses and nothing more is committed
    await ferret.kill();
    const retriesBefore = await app.metric('wiber_ingest_retries_total', { operation: 'insert' });
    const outageStream = chatMessages(120, 'during-outage');
    const committedDuringOutage: number[] = [];
    const circuitDuringOutage: number[] = [];
    for (let second = 0; second < 20; second += 1) {
      await kafka.sendMessages(outageStream.slice(second * 6, second * 6 + 6));
      await sleep(1_000);
      committedDuringOutage.push(await kafka.totalCommitted(names.groupId));
      circuitDuringOutage.push(await app.metric('wiber_ingest_circuit_open'));
    }
    expect(committedDuringOutage).toEqual(Array.from({ length: 20 }, () => 60));
    expect(circuitDuringOutage.slice(-10)).toEqual(Array.from({ length: 10 }, () => 1));
    const retriesDuringOutage = (await app.metric('wiber_ingest_retries_total', { operation: 'insert' })) - retriesBefore;
    // backed off, not a busy loop: about one attempt per (server selection 1 s + backoff <= 1 s)
    expect(retriesDuringOutage).toBeGreaterThanOrEqual(5);
    expect(retriesDuringOutage).toBeLessThan(40);
    process.stdout.write(`${retriesDuringOutage} insert attempts failed during the 20 s outage\n`);
    expect(app.fatalErrors).toEqual([]);
    await expect(app.service.readiness['kafka']?.()).resolves.toBe(`member of ${names.groupId}`);

    // 4. Mongo is back on the same port with the same data: consumption resumes by itself, nothing lost
    const restartedAt = Date.now();
    await ferret.start();
    await waitFor('all 180 records to be committed', async () => (await kafka.totalCommitted(names.groupId)) === 180, 60_000);
    process.stdout.write(`resumed and drained 120 records ${Date.now() - restartedAt} ms after Mongo restarted\n`);
    const stored = await mongo.summary();
    expect(stored.count).toBe(180);
    expect(stored.distinctMessageIds).toBe(180);
    expect(committedButNotStored(await kafka.committedOffsets(names.groupId), stored)).toEqual([]);
    expect(await app.metric('wiber_ingest_circuit_open')).toBe(0);
    expect(await app.metric('wiber_ingest_messages_total', { result: 'failed' })).toBe(0);

    // 5. a stop during an outage gives the unwritten batch up promptly and commits nothing for it
    await ferret.kill();
    await kafka.sendMessages(chatMessages(30, 'before-stop'));
    await waitFor('the circuit to open again', async () => (await app?.metric('wiber_ingest_circuit_open')) === 1, 30_000);
    const stopStarted = Date.now();
    await app.stop();
    app = undefined;
    const stopMs = Date.now() - stopStarted;
    process.stdout.write(`stopped during a Mongo outage in ${stopMs} ms\n`);
    expect(stopMs).toBeLessThan(10_000);
    expect(await kafka.totalCommitted(names.groupId)).toBe(180);
  }, 180_000);
});
