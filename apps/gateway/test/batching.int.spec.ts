import { loadKafkaConfig } from '@wiber/kafka';
import { RegistryCodec, schemas, type ChatMessage } from '@wiber/schema';
import { dropTestDatabase, postMessage, startTestGateway, testDatabase, uniqueUser } from './support/gateway-fixture';
import { endOffsets, readRange } from './support/topic-range';

/** Concurrent requests share sends (one per partition); each still gets its own 202 after acks=all. */
describe('gateway batching on the real stack', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const database = testDatabase('gwb');

  beforeAll(async () => {
    gateway = await startTestGateway({ MONGO_DATABASE: database });
    await gateway.publisher.whenReady();
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await dropTestDatabase(database);
  }, 30_000);

  it('N concurrent POSTs all get 202 and each is in Kafka exactly once', async () => {
    const n = 300;
    const users = Array.from({ length: 12 }, (_, i) => uniqueUser(`batch${i}`));
    const before = await endOffsets();
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        postMessage(gateway.url, { fromUser: users[i % users.length], toUser: users[(i * 5 + 1) % users.length], content: `concurrent ${i}` }),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 202)).toEqual([]);
    const accepted = new Set(responses.map((r) => String(r.json['messageId'])));
    expect(accepted.size).toBe(n);

    const ours = new Set(users);
    const codec = new RegistryCodec({ url: loadKafkaConfig('gateway-test').schemaRegistryUrl });
    const records = await readRange(before, await endOffsets());
    const values = await Promise.all(records.map((r) => codec.decode<ChatMessage>(r.value ?? Buffer.alloc(0), schemas().chatMessage)));
    const stored = values.filter((m) => ours.has(m.fromUser));
    expect(stored).toHaveLength(n);
    expect(new Set(stored.map((m) => m.messageId))).toEqual(accepted);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const sends = Number(/wiber_gateway_produce_batch_records_count\{[^}]*\} (\d+)/.exec(metrics)?.[1]);
    expect(sends).toBeGreaterThan(0);
    expect(sends).toBeLessThan(n); // records shared sends
  }, 120_000);
});
