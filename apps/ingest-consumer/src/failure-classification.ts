import type { RejectedDocument } from '@wiber/mongo';
import { RegistryUnavailableError, UndecodableValueError } from '@wiber/schema';
import type { UnprocessableReason } from './unprocessable';

/**
 * permanent: this record can never be stored as it is, so it goes to the DLQ at once.
 * record-transient: something about this one record may clear by itself (a schema id the
 * registry does not know yet, a write conflict), so it is retried a few times first.
 * System-wide failures (Mongo, Kafka or the registry unavailable) are not a RecordFailure at
 * all: they are thrown, the whole chunk is retried and nothing goes to the DLQ.
 */
export type FailureKind = 'permanent' | 'record-transient';

export interface RecordFailure {
  kind: FailureKind;
  reason: UnprocessableReason;
  errorClass: string;
  message: string;
  /** the error's stack when there was an Error object */
  stack: string | undefined;
}

/** Thrown when a per-document Mongo error is really about the server (not this document). */
export class SystemWideWriteError extends Error {
  constructor(rejected: RejectedDocument) {
    super(`Mongo refused a document with code ${rejected.code} (${rejected.message}), which is about the server, not the document`);
    this.name = 'SystemWideWriteError';
  }
}

export function permanentFailure(reason: UnprocessableReason, errorClass: string, message: string, stack?: string): RecordFailure {
  return { kind: 'permanent', reason, errorClass, message, stack };
}

/**
 * A decode error of one value. RegistryUnavailableError is rethrown (system-wide). An unknown
 * schema id is retried: a producer may have registered the schema moments ago on a registry
 * node or cache that the consumer's requests have not seen yet; if it stays unknown through
 * the retries it is dead-lettered like the other undecodable values.
 */
export function classifyDecodeError(error: unknown): RecordFailure {
  if (error instanceof RegistryUnavailableError) throw error;
  if (error instanceof UndecodableValueError) {
    return {
      kind: error.reason === 'unknown-schema-id' ? 'record-transient' : 'permanent',
      reason: error.reason,
      errorClass: error.name,
      message: error.message,
      stack: error.stack,
    };
  }
  // anything else is specific to this value (e.g. a writer schema the reader cannot resolve)
  if (error instanceof Error) return permanentFailure('decode-failed', error.name, error.message, error.stack);
  return permanentFailure('decode-failed', 'Error', String(error));
}

/** Codes that describe the server's state (stepping down, shutting down, out of disk, no permission). */
const SYSTEM_WIDE_WRITE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  13, // Unauthorized
  50, // MaxTimeMSExpired
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  14031, // OutOfDiskSpace
]);

/** Codes where the same document may well be accepted on the next attempt. */
const RECORD_TRANSIENT_WRITE_CODES = new Set([
  112, // WriteConflict
]);

/**
 * A document Mongo refused in an unordered insert. Throws SystemWideWriteError when the code
 * is about the server, so the caller retries the whole insert instead of dead-lettering
 * messages that are fine; anything else (invalid, too large...) is about the document.
 */
export function classifyWriteRejection(rejected: RejectedDocument): RecordFailure {
  if (SYSTEM_WIDE_WRITE_CODES.has(rejected.code)) throw new SystemWideWriteError(rejected);
  return {
    kind: RECORD_TRANSIENT_WRITE_CODES.has(rejected.code) ? 'record-transient' : 'permanent',
    reason: 'rejected-by-mongo',
    errorClass: 'MongoWriteError',
    message: `code ${rejected.code}: ${rejected.message}`,
    stack: undefined,
  };
}
