import { AppProcess, freePort, MONGO_URI, waitFor } from '@wiber/testing';
import { chatMessages, KafkaFixture } from './support/kafka-fixture';
import { ingestEnv, uniqueNames, type TestNames } from './support/environment';
import { committedButNotStored } from './support/invariants';
import { MongoFixture } from './support/mongo-fixture';

const APP_DIR = 'apps/ingest-consumer';

describe('the ingest-consumer process', () => {
  let names: TestNames;
  let kafka: KafkaFixture | undefined;
  let mongo: MongoFixture | undefined;
  const started: AppProcess[] = [];

  afterEach(async () => {
    await Promise.all(started.map((app) => app.ensureStopped()));
    started.length = 0;
    await kafka?.tearDown(names.groupId);
    await mongo?.dropAndClose();
    kafka = undefined;
    mongo = undefined;
  });

  it('stops on SIGTERM mid-stream within 10 s with exit 0, committing exactly what it wrote; a restart stores the rest once', async () => {
    names = uniqueNames('sigterm');
    kafka = new KafkaFixture(names.topic, names.dlqTopic);
    await kafka.setUp();
    mongo = new MongoFixture(MONGO_URI, names.database);
    const total = 6000;
    await kafka.sendMessages(chatMessages(total, 'stream'));
    const port = await freePort();
    const env = ingestEnv(names, { INGEST_BATCH_SIZE: '50', INGEST_METRICS_PORT: String(port), LOG_LEVEL: 'info' });

    const first = new AppProcess(APP_DIR, env);
    started.push(first);
    await waitFor('some records to be stored', async () => (await mongo?.count() ?? 0) >= 300, 60_000, 50);
    const readiness = await fetch(`http://127.0.0.1:${port}/health/readiness`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: 'up', checks: { kafka: { status: 'up' }, registry: { status: 'up' }, mongo: { status: 'up' } } });

    const signalledAt = Date.now();
    first.signal('SIGTERM');
    const exit = await first.exited;
    const stopMs = Date.now() - signalledAt;
    process.stdout.write(`first instance stopped ${stopMs} ms after SIGTERM\n`);
    expect({ code: exit.code, signal: exit.signal, stderr: exit.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(stopMs).toBeLessThan(10_000);
    expect(first.logLines().map((line) => line['message'])).toEqual(expect.arrayContaining(['stopping', 'stopped']));

    const storedAtStop = await mongo.summary();
    const committedAtStop = await kafka.committedOffsets(names.groupId);
    const totalCommittedAtStop = [...committedAtStop.values()].reduce((a, b) => a + b, 0);
    expect(storedAtStop.count).toBeLessThan(total); // it really was stopped mid-stream
    // nothing committed that is not stored, and nothing stored (acknowledged) left uncommitted
    expect(committedButNotStored(committedAtStop, storedAtStop)).toEqual([]);
    expect(totalCommittedAtStop).toBe(storedAtStop.count);

    const second = new AppProcess(APP_DIR, env);
    started.push(second);
    const restartedAt = Date.now();
    await waitFor('every record to be committed after the restart', async () => (await kafka?.totalCommitted(names.groupId)) === total, 90_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\nsecond instance stdout:\n${second.stdout.slice(-3000)}\nstderr:\n${second.stderr.slice(-2000)}`);
      },
    );
    process.stdout.write(`second instance drained the remaining ${total - storedAtStop.count} records in ${Date.now() - restartedAt} ms (incl. process start)\n`);
    second.signal('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const stored = await mongo.summary();
    expect(stored.count).toBe(total);
    expect(stored.distinctMessageIds).toBe(total);
    expect(committedButNotStored(await kafka.committedOffsets(names.groupId), stored)).toEqual([]);
  }, 180_000);

  it('shares the partitions between two instances; after kill -9 of one mid-stream, every message is stored exactly once', async () => {
    names = uniqueNames('twoinst');
    kafka = new KafkaFixture(names.topic, names.dlqTopic);
    await kafka.setUp();
    mongo = new MongoFixture(MONGO_URI, names.database);
    const ports = [await freePort(), await freePort()];
    const [victim, survivor] = ports.map((port, i) => {
      const app = new AppProcess(APP_DIR, 
        ingestEnv(names, {
          INGEST_METRICS_PORT: String(port),
          INGEST_INSTANCE_ID: `int-test-${i}`,
          INGEST_BATCH_SIZE: '50',
          INGEST_SESSION_TIMEOUT_MS: '6000',
        }),
      );
      started.push(app);
      return app;
    });
    if (victim === undefined || survivor === undefined) throw new Error('two instances expected');
    const assigned = async (port: number | undefined): Promise<number> => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^wiber_ingest_assigned_partitions\{[^}]*\} (\d+)$/m.exec(text)?.[1] ?? -1);
    };
    await waitFor('both instances to hold 3 of the 6 partitions', async () => (await assigned(ports[0])) === 3 && (await assigned(ports[1])) === 3, 60_000);

    const total = 2000;
    const messages = chatMessages(total, 'two-instances');
    let killedAt = -1;
    for (let start = 0; start < total; start += 100) {
      await kafka.sendMessages(messages.slice(start, start + 100));
      if (killedAt < 0 && (await mongo.count()) >= 400) {
        victim.signal('SIGKILL');
        killedAt = start + 100;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (killedAt < 0) {
      victim.signal('SIGKILL');
      killedAt = total;
    }
    expect((await victim.exited).signal).toBe('SIGKILL');
    process.stdout.write(`killed one of two instances after ${killedAt} of ${total} messages were produced\n`);

    await waitFor('the survivor to take over all 6 partitions', async () => (await assigned(ports[1])) === 6, 60_000);
    await waitFor('every record to be committed', async () => (await kafka?.totalCommitted(names.groupId)) === total, 90_000);
    const stored = await mongo.summary();
    expect(stored.count).toBe(total);
    expect(stored.distinctMessageIds).toBe(total);
    expect(committedButNotStored(await kafka.committedOffsets(names.groupId), stored)).toEqual([]);
    survivor.signal('SIGTERM');
    expect((await survivor.exited).code).toBe(0);
  }, 180_000);

  it('exits non-zero with one line on stderr naming the bad variable when the configuration is invalid', async () => {
    names = uniqueNames('badconfig');
    const app = new AppProcess(APP_DIR, ingestEnv(names, { INGEST_BATCH_SIZE: '0' }));
    started.push(app);
    const exit = await app.exited;
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ingest-consumer: invalid configuration: INGEST_BATCH_SIZE is invalid/);
    expect(exit.stdout).toBe('');
  }, 30_000);
});
