import type { Producer, ProducerRecord } from 'kafkajs';
import type { MetricsSnapshot } from '@wiber/schema';
import { SnapshotPublisher } from './publisher';

const snapshot: MetricsSnapshot = {
  leaderId: 'lm-1',
  epoch: 3,
  generatedAt: 1,
  windowSeconds: 60,
  messagesPerMinute: 0,
  messagesPerMinuteByPartition: [],
  activeConversations: 0,
  activeUsers: 0,
  consumerLag: [],
  dlqDepth: 0,
};

function setUp(): { publisher: SnapshotPublisher; sent: ProducerRecord[]; order: string[] } {
  const sent: ProducerRecord[] = [];
  const order: string[] = [];
  const producer = {
    send: async (record: ProducerRecord) => {
      order.push('send');
      sent.push(record);
      return [];
    },
  } as unknown as Producer;
  const codec = {
    encode: () => {
      order.push('encode');
      return Buffer.from([0, 0, 0, 0, 1, 2]);
    },
  };
  return { publisher: new SnapshotPublisher(producer, codec, 'metrics-topic'), sent, order };
}

describe('SnapshotPublisher', () => {
  it('checks leadership after encoding, right before sending one record keyed "snapshot"', async () => {
    const { publisher, sent, order } = setUp();
    const outcome = await publisher.publish(snapshot, () => {
      order.push('check');
      return true;
    });
    expect(outcome).toBe('published');
    expect(order).toEqual(['encode', 'check', 'send']);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ topic: 'metrics-topic', acks: -1 });
    expect(sent[0]?.messages).toHaveLength(1);
    expect(sent[0]?.messages[0]?.key).toBe('snapshot');
    expect(sent[0]?.messages[0]?.headers?.['x-correlation-id']).toEqual(expect.any(String));
  });

  it('sends nothing once leadership is gone', async () => {
    const { publisher, sent } = setUp();
    expect(await publisher.publish(snapshot, () => false)).toBe('fenced');
    expect(sent).toEqual([]);
  });
});
