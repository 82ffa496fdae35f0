import { conversationIdOf, USER_ID_PATTERN, type ChatMessage } from '@wiber/schema';
import type { MessageDocument } from '@wiber/mongo';

export interface KafkaCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

const MAX_ID_LENGTH = 128;

/**
 * What is wrong with a decoded message, empty when nothing is. The gateway validates the
 * same rules before producing, so a problem here means a foreign or buggy producer: the
 * record can never be stored as it is.
 */
export function chatMessageProblems(message: ChatMessage): string[] {
  const problems: string[] = [];
  if (message.messageId.length === 0 || message.messageId.length > MAX_ID_LENGTH) {
    problems.push(`messageId must be 1 to ${MAX_ID_LENGTH} characters`);
  }
  const fromValid = USER_ID_PATTERN.test(message.fromUser);
  const toValid = USER_ID_PATTERN.test(message.toUser);
  if (!fromValid) problems.push(`fromUser ${JSON.stringify(message.fromUser.slice(0, 70))} is not a valid user id`);
  if (!toValid) problems.push(`toUser ${JSON.stringify(message.toUser.slice(0, 70))} is not a valid user id`);
  if (fromValid && toValid) {
    if (message.fromUser === message.toUser) problems.push('fromUser and toUser are the same user');
    const expected = conversationIdOf(message.fromUser, message.toUser);
    if (message.conversationId !== expected) {
      problems.push(`conversationId ${JSON.stringify(message.conversationId.slice(0, 140))} should be ${JSON.stringify(expected)}`);
    }
  }
  if (message.content.trim().length === 0) problems.push('content is empty');
  if (!Number.isSafeInteger(message.sentAt) || message.sentAt <= 0) problems.push(`sentAt ${message.sentAt} is not a time`);
  if (message.clientMessageId !== null && (message.clientMessageId.length === 0 || message.clientMessageId.length > MAX_ID_LENGTH)) {
    problems.push(`clientMessageId must be null or 1 to ${MAX_ID_LENGTH} characters`);
  }
  return problems;
}

export function toMessageDocument(message: ChatMessage, source: KafkaCoordinates, storedAt: Date): MessageDocument {
  return {
    messageId: message.messageId,
    conversationId: message.conversationId,
    fromUser: message.fromUser,
    toUser: message.toUser,
    content: message.content,
    sentAt: new Date(message.sentAt),
    clientMessageId: message.clientMessageId,
    kafka: { topic: source.topic, partition: source.partition, offset: source.offset },
    storedAt,
  };
}
