import type { KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { MongoServerSelectionError } from 'mongodb';
import type { BulkInsertResult, MessageDocument } from '@wiber/mongo';
import { RegistryUnavailableError, UndecodableValueError, type ChatMessage } from '@wiber/schema';
import { chunksOf, processBatch, type BatchPayload, type BatchProcessorDeps, type MessageStore } from './batch-processor';
import { CircuitBreaker } from './circuit-breaker';
import { createIngestMetrics, type IngestMetrics } from './metrics';
import { chatMessage, jsonDecoder, kafkaRecord } from './testing/fixtures';
import type { UnprocessableRecord } from './unprocessable';

const quiet = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

interface Harness {
  payload: BatchPayload;
  deps: BatchProcessorDeps;
  events: string[];
  sunk: UnprocessableRecord[];
  metrics: IngestMetrics;
  registry: Registry;
  stop(): void;
  rebalance(): void;
  clock(): number;
}

/** A fake kafkajs payload and store that record, in order, every insert, commit and heartbeat. */
function harness(
  messages: KafkaMessage[],
  store: MessageStore,
  overrides: Partial<BatchProcessorDeps> = {},
  lastOffset?: string,
): Harness {
  const events: string[] = [];
  const sunk: UnprocessableRecord[] = [];
  let running = true;
  let stale = false;
  let now = 1_000_000;
  const registry = new Registry();
  const metrics = createIngestMetrics(registry);
  const payload: BatchPayload = {
    batch: {
      topic: 'wiber.messages',
      partition: 3,
      highWatermark: '1000',
      messages,
      isEmpty: () => messages.length === 0 && lastOffset === undefined,
      lastOffset: () => lastOffset ?? messages[messages.length - 1]?.offset ?? '-1',
    },
    resolveOffset: (offset) => events.push(`resolve ${offset}`),
    heartbeat: async () => {
      events.push('heartbeat');
    },
    commitOffsetsIfNecessary: async (offsets) => {
      for (const topic of offsets?.topics ?? []) {
        for (const p of topic.partitions) events.push(`commit ${topic.topic}/${p.partition}@${p.offset}`);
      }
    },
    isRunning: () => running,
    isStale: () => stale,
  };
  const recordingStore: MessageStore = {
    insertMany: async (documents) => {
      events.push(`insert ${documents.map((d) => d.kafka.offset).join(',')}`);
      return store.insertMany(documents);
    },
  };
  const deps: BatchProcessorDeps = {
    decode: jsonDecoder,
    store: recordingStore,
    sink: {
      accept: async (records) => {
        events.push(`sink ${records.map((r) => `${r.source.offset}:${r.reason}`).join(',')}`);
        sunk.push(...records);
      },
    },
    breaker: new CircuitBreaker({ policy: { initialDelayMs: 100, maxDelayMs: 1_000 }, openAfter: 2, random: () => 1 }),
    metrics,
    logger: quiet,
    batchSize: 3,
    writeTimeoutMs: 1_000,
    recordRetries: 2,
    recordRetryPolicy: { initialDelayMs: 50, maxDelayMs: 1_000 },
    random: () => 1,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    ...overrides,
  };
  return {
    payload,
    deps,
    events,
    sunk,
    metrics,
    registry,
    stop: () => {
      running = false;
    },
    rebalance: () => {
      stale = true;
    },
    clock: () => now,
  };
}

const allNew: MessageStore = {
  insertMany: async (documents) => ({ inserted: documents.length, duplicates: 0, rejected: [] }),
};

function records(from: number, count: number): KafkaMessage[] {
  return Array.from({ length: count }, (_, i) => kafkaRecord(from + i, chatMessage({ content: `message ${from + i}` })));
}

async function counter(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value ?? 0;
}

const serverSelectionFailure = (): Error => new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', { type: 'Unknown', servers: new Map(), stale: false, compatible: true, heartbeatFrequencyMS: 10000, localThresholdMS: 15, setName: null, maxElectionId: null, maxSetVersion: null, commonWireVersion: 0, logicalSessionTimeoutMinutes: null } as never);

describe('chunksOf', () => {
  it('splits into chunks of at most the given size, keeping order', () => {
    expect(chunksOf([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(chunksOf([], 3)).toEqual([]);
  });
});

describe('processBatch', () => {
  it('inserts in chunks of batchSize and commits each chunk only after its insert, with the next offset to read', async () => {
    const h = harness(records(100, 7), allNew);
    const outcome = await processBatch(h.payload, h.deps);
    expect(outcome).toEqual({ committed: 7, abandoned: false });
    expect(h.events.filter((e) => !e.startsWith('heartbeat'))).toEqual([
      'insert 100,101,102',
      'resolve 102',
      'commit wiber.messages/3@103',
      'insert 103,104,105',
      'resolve 105',
      'commit wiber.messages/3@106',
      'insert 106',
      'resolve 106',
      'commit wiber.messages/3@107',
    ]);
    expect(await counter(h.registry, 'wiber_ingest_messages_total', { result: 'inserted' })).toBe(7);
    expect(await counter(h.registry, 'wiber_ingest_committed_offset', { partition: '3' })).toBe(107);
    expect(await counter(h.registry, 'wiber_ingest_consumer_lag', { partition: '3' })).toBe(893);
  });

  it('counts duplicates as success: they are committed like inserted ones', async () => {
    const store: MessageStore = { insertMany: async (documents) => ({ inserted: documents.length - 1, duplicates: 1, rejected: [] }) };
    const h = harness(records(0, 3), store);
    await processBatch(h.payload, h.deps);
    expect(h.events).toContain('commit wiber.messages/3@3');
    expect(await counter(h.registry, 'wiber_ingest_messages_total', { result: 'duplicate' })).toBe(1);
    expect(await counter(h.registry, 'wiber_ingest_messages_total', { result: 'inserted' })).toBe(2);
  });

  it('sets an undecodable or invalid record aside and stores the good ones around it', async () => {
    const messages = [
      kafkaRecord(0, chatMessage()),
      kafkaRecord(1, Buffer.from([0xff, 0, 0, 0, 1])),
      kafkaRecord(2, chatMessage({ fromUser: 'not valid!', conversationId: 'bob:not valid!' })),
      kafkaRecord(3, chatMessage()),
    ];
    const h = harness(messages, allNew, { batchSize: 10 });
    await processBatch(h.payload, h.deps);
    expect(h.events.filter((e) => e !== 'heartbeat')).toEqual([
      'insert 0,3',
      'sink 1:bad-magic-byte,2:invalid-message',
      'resolve 3',
      'commit wiber.messages/3@4',
    ]);
    expect(await counter(h.registry, 'wiber_ingest_unprocessable_total', { reason: 'bad-magic-byte' })).toBe(1);
    expect(await counter(h.registry, 'wiber_ingest_unprocessable_total', { reason: 'invalid-message' })).toBe(1);
    expect(await counter(h.registry, 'wiber_ingest_messages_total', { result: 'failed' })).toBe(2);
  });

  it('sends documents Mongo rejects to the sink with their own record, not a neighbour', async () => {
    const store: MessageStore = {
      insertMany: async (): Promise<BulkInsertResult> => ({ inserted: 2, duplicates: 0, rejected: [{ index: 1, code: 10334, message: 'too large' }] }),
    };
    const h = harness(records(20, 3), store);
    await processBatch(h.payload, h.deps);
    expect(h.sunk.map((r) => [r.source.offset, r.reason, r.detail, r.attempts])).toEqual([['21', 'rejected-by-mongo', 'code 10334: too large', 1]]);
    expect(h.sunk[0]?.correlationId).toBe('corr-21');
    expect(h.events).toContain('commit wiber.messages/3@23');
  });

  it('retries a write conflict on its document alone, and stores it when the conflict clears', async () => {
    let calls = 0;
    const store: MessageStore = {
      insertMany: async (documents): Promise<BulkInsertResult> => {
        calls += 1;
        if (calls === 1) return { inserted: documents.length - 1, duplicates: 0, rejected: [{ index: 1, code: 112, message: 'WriteConflict' }] };
        return { inserted: documents.length, duplicates: 0, rejected: [] };
      },
    };
    const h = harness(records(30, 3), store);
    await processBatch(h.payload, h.deps);
    expect(h.events.filter((e) => e.startsWith('insert') || e.startsWith('commit') || e.startsWith('sink'))).toEqual([
      'insert 30,31,32',
      'insert 31',
      'commit wiber.messages/3@33',
    ]);
    expect(h.sunk).toEqual([]);
    expect(await counter(h.registry, 'wiber_ingest_messages_total', { result: 'inserted' })).toBe(3);
  });

  it('retries the whole insert, never dead-lettering, when Mongo refuses documents for a reason about the server', async () => {
    let calls = 0;
    const store: MessageStore = {
      insertMany: async (documents): Promise<BulkInsertResult> => {
        calls += 1;
        if (calls <= 2) return { inserted: 0, duplicates: 0, rejected: documents.map((_, index) => ({ index, code: 10107, message: 'not primary' })) };
        return { inserted: documents.length, duplicates: 0, rejected: [] };
      },
    };
    const h = harness(records(0, 2), store);
    await processBatch(h.payload, h.deps);
    expect(calls).toBe(3);
    expect(h.sunk).toEqual([]);
    expect(h.events).toContain('commit wiber.messages/3@2');
    expect(await counter(h.registry, 'wiber_ingest_retries_total', { operation: 'insert' })).toBe(2);
  });

  it('while Mongo is unavailable: retries with growing backoff and heartbeats, commits nothing, then resumes by itself', async () => {
    let failuresLeft = 4;
    const store: MessageStore = {
      insertMany: async (documents) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw serverSelectionFailure();
        }
        return { inserted: documents.length, duplicates: 0, rejected: [] };
      },
    };
    const circuit: number[] = [];
    const h = harness(records(0, 2), store);
    const started = h.clock();
    const breaker = new CircuitBreaker({
      policy: { initialDelayMs: 100, maxDelayMs: 1_000 },
      openAfter: 2,
      random: () => 1,
      onOpen: () => circuit.push(1),
      onClose: () => circuit.push(0),
    });
    const outcome = await processBatch(h.payload, { ...h.deps, breaker });
    expect(outcome).toEqual({ committed: 2, abandoned: false });
    // 4 failed attempts, then backoffs of 100 + 200 + 400 + 800 ms before the 5th
    expect(h.events.filter((e) => e.startsWith('insert'))).toHaveLength(5);
    expect(h.clock() - started).toBe(1_500);
    const firstCommit = h.events.findIndex((e) => e.startsWith('commit'));
    expect(h.events.slice(0, firstCommit).filter((e) => e === 'heartbeat').length).toBeGreaterThanOrEqual(4);
    expect(h.events.slice(firstCommit - 2)).toEqual(['insert 0,1', 'resolve 1', 'commit wiber.messages/3@2', 'heartbeat']);
    expect(circuit).toEqual([1, 0]);
    expect(await counter(h.registry, 'wiber_ingest_retries_total', { operation: 'insert' })).toBe(4);
  });

  it('gives the batch up without committing when the consumer stops during an outage, keeping what was already committed', async () => {
    let calls = 0;
    const control = { stop: (): void => undefined };
    const store: MessageStore = {
      insertMany: async (documents) => {
        calls += 1;
        if (calls === 1) return { inserted: documents.length, duplicates: 0, rejected: [] };
        if (calls === 3) control.stop();
        throw serverSelectionFailure();
      },
    };
    const h = harness(records(0, 6), store);
    control.stop = h.stop;
    const outcome = await processBatch(h.payload, h.deps);
    expect(outcome).toEqual({ committed: 3, abandoned: true });
    expect(h.events.filter((e) => e.startsWith('commit'))).toEqual(['commit wiber.messages/3@3']);
    expect(calls).toBe(3);
  });

  it('gives the batch up when a rebalance makes it stale while backing off', async () => {
    const control = { rebalance: (): void => undefined };
    const store: MessageStore = {
      insertMany: async () => {
        control.rebalance();
        throw serverSelectionFailure();
      },
    };
    const h = harness(records(0, 2), store);
    control.rebalance = h.rebalance;
    expect(await processBatch(h.payload, h.deps)).toEqual({ committed: 0, abandoned: true });
    expect(h.events.some((e) => e.startsWith('commit'))).toBe(false);
  });

  it('retries the chunk while the registry is unavailable instead of skipping its records', async () => {
    let registryDown = 2;
    const decode = async (value: Buffer): Promise<ChatMessage> => {
      if (registryDown > 0) {
        registryDown -= 1;
        throw new RegistryUnavailableError('registry unreachable');
      }
      return jsonDecoder(value);
    };
    const h = harness(records(0, 2), allNew, { decode });
    await processBatch(h.payload, h.deps);
    expect(h.sunk).toEqual([]);
    expect(h.events.filter((e) => e.startsWith('insert') || e.startsWith('commit'))).toEqual(['insert 0,1', 'commit wiber.messages/3@2']);
    expect(await counter(h.registry, 'wiber_ingest_retries_total', { operation: 'decode' })).toBe(2);
  });

  it('treats an insert that is not acknowledged in time as failed and retries it', async () => {
    let calls = 0;
    const store: MessageStore = {
      insertMany: (documents: MessageDocument[]) => {
        calls += 1;
        return calls === 1 ? new Promise<BulkInsertResult>(() => undefined) : Promise.resolve({ inserted: documents.length, duplicates: 0, rejected: [] });
      },
    };
    const h = harness(records(0, 1), store, { writeTimeoutMs: 20 });
    await processBatch(h.payload, h.deps);
    expect(calls).toBe(2);
    expect(h.events).toContain('commit wiber.messages/3@1');
  });

  it('retries a record whose schema id is unknown and stores it when the schema turns up within the retries', async () => {
    const late = chatMessage({ content: 'late schema' });
    let lookups = 0;
    const decode = async (value: Buffer): Promise<ChatMessage> => {
      const message = await jsonDecoder(value);
      if (message.messageId === late.messageId && ++lookups < 3) throw new UndecodableValueError('unknown-schema-id', 'schema id 99 is not in the registry', 99);
      return message;
    };
    const h = harness([kafkaRecord(0, chatMessage()), kafkaRecord(1, late), kafkaRecord(2, chatMessage())], allNew, { decode });
    const started = h.clock();
    await processBatch(h.payload, h.deps);
    expect(h.sunk).toEqual([]);
    // the two good records are inserted only once the late one is decoded: one insert, one commit
    expect(h.events.filter((e) => e !== 'heartbeat')).toEqual(['insert 0,2,1', 'resolve 2', 'commit wiber.messages/3@3']);
    expect(h.clock() - started).toBe(50 + 100);
    expect(await counter(h.registry, 'wiber_ingest_retries_total', { operation: 'record' })).toBe(2);
  });

  it('dead-letters a record whose schema id stays unknown after the retries, with its attempts and failure times', async () => {
    const decode = async (value: Buffer): Promise<ChatMessage> => {
      if (value[0] === 0x00) throw new UndecodableValueError('unknown-schema-id', 'schema id 7 is not in the registry', 7);
      return jsonDecoder(value);
    };
    const h = harness([kafkaRecord(0, Buffer.from([0, 0, 0, 0, 7, 1])), kafkaRecord(1, chatMessage())], allNew, { decode });
    const started = h.clock();
    await processBatch(h.payload, h.deps);
    expect(h.sunk.map((r) => [r.source.offset, r.reason, r.attempts, r.firstFailureAt - started, r.lastFailureAt - started])).toEqual([
      ['0', 'unknown-schema-id', 3, 0, 150],
    ]);
    expect(h.events.filter((e) => e !== 'heartbeat')).toEqual(['insert 1', 'sink 0:unknown-schema-id', 'resolve 1', 'commit wiber.messages/3@2']);
  });

  it('hands dead letters to the sink in source order, whether they failed at once or after retries', async () => {
    const decode = async (value: Buffer): Promise<ChatMessage> => {
      if (value[0] === 0x00) throw new UndecodableValueError('unknown-schema-id', 'schema id 7 is not in the registry', 7);
      return jsonDecoder(value);
    };
    const messages = [kafkaRecord(0, Buffer.from([0, 0, 0, 0, 7, 1])), kafkaRecord(1, Buffer.from([0xff, 0, 0, 0, 1])), kafkaRecord(2, chatMessage())];
    const h = harness(messages, allNew, { decode });
    await processBatch(h.payload, h.deps);
    expect(h.sunk.map((r) => [r.source.offset, r.reason, r.attempts])).toEqual([
      ['0', 'unknown-schema-id', 3],
      ['1', 'bad-magic-byte', 1],
    ]);
  });

  it('gives a chunk up, committing nothing, when the consumer stops while a record is being retried', async () => {
    const control = { stop: (): void => undefined };
    const decode = async (): Promise<ChatMessage> => {
      control.stop();
      throw new UndecodableValueError('unknown-schema-id', 'unknown', 7);
    };
    const h = harness(records(0, 2), allNew, { decode });
    control.stop = h.stop;
    expect(await processBatch(h.payload, h.deps)).toEqual({ committed: 0, abandoned: true });
    expect(h.sunk).toEqual([]);
    expect(h.events.some((e) => e.startsWith('commit'))).toBe(false);
  });

  it('does not commit past unprocessable records until the sink has taken them', async () => {
    let sinkDown = 1;
    const h = harness([kafkaRecord(0, Buffer.from([0xff, 0, 0, 0, 1]))], allNew);
    const sink = {
      accept: async (): Promise<void> => {
        h.events.push('sink attempt');
        if (sinkDown > 0) {
          sinkDown -= 1;
          throw new Error('DLQ unavailable');
        }
      },
    };
    await processBatch(h.payload, { ...h.deps, sink });
    expect(h.events.filter((e) => e !== 'heartbeat')).toEqual(['sink attempt', 'sink attempt', 'resolve 0', 'commit wiber.messages/3@1']);
  });

  it('resolves and commits a batch whose records were all filtered out (transaction markers), so it is not fetched forever', async () => {
    const h = harness([], allNew, {}, '41');
    expect(await processBatch(h.payload, h.deps)).toEqual({ committed: 0, abandoned: false });
    expect(h.events).toEqual(['resolve 41', 'commit wiber.messages/3@42']);
  });

  it('does nothing for an empty batch', async () => {
    const h = harness([], allNew);
    await processBatch(h.payload, h.deps);
    expect(h.events).toEqual([]);
  });

  it('observes the end-to-end latency of newly stored messages', async () => {
    const sentAt = Date.now() - 2_000;
    const h = harness([kafkaRecord(0, chatMessage({ sentAt }))], allNew);
    await processBatch(h.payload, h.deps);
    const text = await h.registry.getSingleMetricAsString('wiber_ingest_end_to_end_latency_seconds');
    const count = Number(/_count (\S+)/.exec(text)?.[1]);
    const sum = Number(/_sum (\S+)/.exec(text)?.[1]);
    expect(count).toBe(1);
    expect(sum).toBeGreaterThanOrEqual(2);
    expect(sum).toBeLessThan(10);
  });
});
