import { chatMessageProblems, toMessageDocument } from './chat-message-validation';
import { chatMessage } from './testing/fixtures';

describe('chatMessageProblems', () => {
  it('accepts a message as the gateway produces it, in both directions', () => {
    expect(chatMessageProblems(chatMessage())).toEqual([]);
    expect(chatMessageProblems(chatMessage({ fromUser: 'bob', toUser: 'alice' }))).toEqual([]);
    expect(chatMessageProblems(chatMessage({ clientMessageId: 'retry-key-1' }))).toEqual([]);
  });

  it.each([
    ['empty content', { content: '' }, /content is empty/],
    ['blank content', { content: ' \n\t' }, /content is empty/],
    ['an invalid sender', { fromUser: 'al ice', conversationId: 'al ice:bob' }, /fromUser "al ice" is not a valid user id/],
    ['an invalid recipient', { toUser: '', conversationId: ':alice' }, /toUser "" is not a valid user id/],
    ['a message to oneself', { fromUser: 'alice', toUser: 'alice', conversationId: 'alice:alice' }, /same user/],
    ['an unsorted conversationId', { conversationId: 'bob:alice' }, /conversationId "bob:alice" should be "alice:bob"/],
    ['the seeds\' from:to key', { fromUser: 'bob', toUser: 'alice', conversationId: 'bob:alice' }, /should be "alice:bob"/],
    ['an empty messageId', { messageId: '' }, /messageId/],
    ['a negative sentAt', { sentAt: -1 }, /sentAt -1 is not a time/],
    ['an empty clientMessageId', { clientMessageId: '' }, /clientMessageId/],
  ])('rejects %s', (_name, overrides, problem) => {
    const problems = chatMessageProblems(chatMessage(overrides));
    expect(problems.join('; ')).toMatch(problem);
  });
});

describe('toMessageDocument', () => {
  it('keeps the fields, turns sentAt into a Date and records the Kafka coordinates', () => {
    const message = chatMessage({ clientMessageId: 'k1' });
    const storedAt = new Date('2026-01-01T00:00:00Z');
    expect(toMessageDocument(message, { topic: 'wiber.messages', partition: 4, offset: '1234' }, storedAt)).toEqual({
      messageId: message.messageId,
      conversationId: 'alice:bob',
      fromUser: 'alice',
      toUser: 'bob',
      content: 'hello',
      sentAt: new Date(message.sentAt),
      clientMessageId: 'k1',
      kafka: { topic: 'wiber.messages', partition: 4, offset: '1234' },
      storedAt,
    });
  });
});
