import type { ProducerRecord, RecordMetadata } from 'kafkajs';
import { Counter, Registry } from 'prom-client';
import { ACKS_ALL, DEAD_LETTER_HEADERS } from '@wiber/kafka';
import { createDlqSink } from './dlq-sink';
import type { UnprocessableRecord } from './unprocessable';

function record(offset: string, reason: UnprocessableRecord['reason'] = 'corrupt-payload'): UnprocessableRecord {
  return {
    source: { topic: 'wiber.messages', partition: 1, offset },
    key: Buffer.from('alice:bob'),
    value: Buffer.from([0, 0, 0, 0, 1, 0xff]),
    headers: {},
    timestamp: '1763870400000',
    correlationId: `corr-${offset}`,
    reason,
    errorClass: 'UndecodableValueError',
    detail: 'bad body',
    stack: undefined,
    attempts: 1,
    firstFailureAt: 1,
    lastFailureAt: 1,
  };
}

function setUp(failOn: Set<string> = new Set()) {
  const sent: ProducerRecord[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const registry = new Registry();
  const deadLettered = new Counter({ name: 'wiber_dlq_messages_total', help: 'h', labelNames: ['reason'], registers: [registry] });
  const producer = {
    send: async (request: ProducerRecord): Promise<RecordMetadata[]> => {
      const offset = String(request.messages[0]?.headers?.[DEAD_LETTER_HEADERS.offset]);
      if (failOn.has(offset)) {
        failOn.delete(offset);
        throw new Error('leader not available');
      }
      sent.push(request);
      return [{ topicName: request.topic, partition: 2, errorCode: 0, baseOffset: String(sent.length - 1) }];
    },
  };
  const logger = {
    error: () => undefined,
    info: () => undefined,
    debug: () => undefined,
    warn: (message: string, meta?: Record<string, unknown>) => logs.push({ message, ...meta }),
  };
  const sink = createDlqSink({
    producer,
    topic: 'wiber.messages.dlq',
    context: { groupId: 'wiber.ingest', service: 'ingest-consumer', instance: 'i-1' },
    logger,
    deadLettered,
  });
  return { sink, sent, logs, registry };
}

describe('createDlqSink', () => {
  it('sends one record per send, with acks=all, to the DLQ topic, and logs each with its coordinates', async () => {
    const { sink, sent, logs, registry } = setUp();
    await sink.accept([record('7'), record('8', 'invalid-message')]);
    expect(sent.map((r) => [r.topic, r.acks, r.messages.length])).toEqual([
      ['wiber.messages.dlq', ACKS_ALL, 1],
      ['wiber.messages.dlq', ACKS_ALL, 1],
    ]);
    expect(logs).toEqual([
      expect.objectContaining({ message: 'dead-lettered a record that cannot be stored', topic: 'wiber.messages', partition: 1, offset: '7', reason: 'corrupt-payload', dlqPartition: 2, dlqOffset: '0' }),
      expect.objectContaining({ offset: '8', reason: 'invalid-message', dlqOffset: '1' }),
    ]);
    const values = (await registry.getSingleMetric('wiber_dlq_messages_total')?.get())?.values ?? [];
    expect(values.map((v) => [v.labels['reason'], v.value])).toEqual([
      ['corrupt-payload', 1],
      ['invalid-message', 1],
    ]);
  });

  it('throws when a send fails; the retry writes only the records not yet acknowledged', async () => {
    const { sink, sent } = setUp(new Set(['2']));
    const records = [record('1'), record('2'), record('3')];
    await expect(sink.accept(records)).rejects.toThrow('leader not available');
    await sink.accept(records);
    expect(sent.map((r) => r.messages[0]?.headers?.[DEAD_LETTER_HEADERS.offset])).toEqual(['1', '2', '3']);
  });
});
