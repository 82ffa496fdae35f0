import { randomUUID } from 'node:crypto';
import { conversationIdOf, type ChatMessage } from '@wiber/schema';

/** What a client POSTs to /messages. */
export interface SendRequest {
  fromUser: string;
  toUser: string;
  content: string;
}

const WORDS = ['hey', 'are', 'you', 'coming', 'tonight', 'the', 'train', 'is', 'late', 'again', 'see', 'at', 'station', 'ok', 'thanks', 'lunch', 'tomorrow', 'sounds', 'good', 'call', 'me', 'when', 'free'];

/** mulberry32: a small seeded PRNG, so every run sends the same requests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface WorkloadOptions {
  count: number;
  users: number;
  /** content length in characters (ASCII), inclusive range */
  contentChars: [number, number];
  seed: number;
  /** prefix of user ids, e.g. a run id, so runs do not share conversations */
  userPrefix: string;
}

/** `count` requests between `users` users (never to oneself), with chat-like content. */
export function makeRequests(options: WorkloadOptions): SendRequest[] {
  const random = seededRandom(options.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const user = (i: number) => `${options.userPrefix}u${String(i).padStart(4, '0')}`;
  const [minChars, maxChars] = options.contentChars;
  return Array.from({ length: options.count }, () => {
    const from = pick(options.users);
    const to = (from + 1 + pick(options.users - 1)) % options.users;
    const length = minChars + pick(maxChars - minChars + 1);
    let content = '';
    while (content.length < length) content += `${WORDS[pick(WORDS.length)]} `;
    return { fromUser: user(from), toUser: user(to), content: content.slice(0, length).trimEnd().padEnd(length, '.') };
  });
}

/** The ChatMessage the gateway builds for a request without an idempotency key. */
export function toChatMessage(request: SendRequest, sentAt: number): ChatMessage {
  return {
    messageId: randomUUID(),
    conversationId: conversationIdOf(request.fromUser, request.toUser),
    fromUser: request.fromUser,
    toUser: request.toUser,
    content: request.content,
    sentAt,
    clientMessageId: null,
  };
}
