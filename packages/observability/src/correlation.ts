import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const storage = new AsyncLocalStorage<string>();

/** Header that carries the correlation id over HTTP. */
export const CORRELATION_HTTP_HEADER = 'x-request-id';
/** Header that carries the correlation id on every Kafka record. */
export const CORRELATION_KAFKA_HEADER = 'x-correlation-id';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Runs `fn` with `id` as the current correlation id (seen by the logger). */
export function withCorrelationId<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}

/** Accepts a caller's id only if it is safe to log and echo back; otherwise makes a new one. */
export function acceptCorrelationId(candidate: string | undefined): string {
  return candidate !== undefined && VALID_ID.test(candidate) ? candidate : newCorrelationId();
}
