import { createHash, randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/** Namespace for name-based (v5) message ids; never change it, or retries stop matching. */
const MESSAGE_ID_NAMESPACE = '3f1c9f3e-6a4e-4b8e-9a57-7d2f0c3b5e11';

/**
 * With an idempotency key the id is derived from (sender, key), so a retry through any
 * gateway instance gets the same messageId and Mongo's unique index stores it once.
 */
export function messageIdFor(fromUser: string, idempotencyKey: string | undefined): string {
  return idempotencyKey === undefined ? randomUUID() : uuidv5(`${fromUser}\n${idempotencyKey}`, MESSAGE_ID_NAMESPACE);
}

/** Fingerprint of what a request asks for, to tell a true retry from a reused key. */
export function requestFingerprint(fromUser: string, toUser: string, content: string): string {
  return createHash('sha256').update(JSON.stringify([fromUser, toUser, content])).digest('base64url');
}
