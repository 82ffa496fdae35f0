import { REPLAY_HEADERS } from '@wiber/kafka';
import { toDeadLetter } from './dead-letter';
import { replayMessage } from './replay-message';

describe('replayMessage', () => {
  it('keeps key, value and original headers, drops the DLQ context and any earlier replay marks, and says where it came from', () => {
    const key = Buffer.from('alice:bob');
    const value = Buffer.from([0, 0, 0, 0, 1, 2, 3]);
    const letter = toDeadLetter(1, {
      key,
      value,
      timestamp: '1',
      attributes: 0,
      offset: '42',
      headers: {
        'x-correlation-id': Buffer.from('req-1'),
        'x-repeated': [Buffer.from('a'), Buffer.from('b')],
        'wiber.dlq.topic': Buffer.from('wiber.messages'),
        'wiber.dlq.error.stack': Buffer.from('Error: x'),
        'wiber.replay.dlq-offset': Buffer.from('7'),
      },
    });
    const message = replayMessage(letter, 'wiber.messages.dlq', new Date('2025-11-23T10:00:00Z'));
    expect(message.key).toBe(key);
    expect(message.value).toBe(value);
    expect(message.headers).toEqual({
      'x-correlation-id': Buffer.from('req-1'),
      'x-repeated': [Buffer.from('a'), Buffer.from('b')],
      [REPLAY_HEADERS.dlqTopic]: 'wiber.messages.dlq',
      [REPLAY_HEADERS.dlqPartition]: '1',
      [REPLAY_HEADERS.dlqOffset]: '42',
      [REPLAY_HEADERS.time]: '2025-11-23T10:00:00.000Z',
    });
  });
});
