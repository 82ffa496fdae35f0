import type { RegistryCodec } from '@wiber/schema';
import { toRecords, type BenchRecord } from './records';
import { contentRange, payloadCount } from './sizes';
import { makeRequests, toChatMessage, type SendRequest } from './workload';

/** The requests and Kafka records of one message size (same requests, Avro-encoded as the gateway does). */
export interface SizedPayloads {
  /** nominal content bytes */
  size: number;
  requests: SendRequest[];
  records: BenchRecord[];
  meanContentBytes: number;
  meanValueBytes: number;
}

/** Distinct payloads kept in memory per size: at most 20,000, at most this many bytes of content. */
const PAYLOAD_BUDGET_BYTES = 32 * 1024 * 1024;

export function sizedPayloads(codec: RegistryCodec, size: number, partitions: number, userPrefix: string): SizedPayloads {
  const count = payloadCount(size, PAYLOAD_BUDGET_BYTES, 20_000);
  const requests = makeRequests({ count, users: 500, contentChars: contentRange(size), seed: size, userPrefix });
  const records = toRecords(codec, requests.map((r) => toChatMessage(r, Date.now())), partitions);
  return {
    size,
    requests,
    records,
    meanContentBytes: requests.reduce((sum, r) => sum + r.content.length, 0) / requests.length,
    meanValueBytes: records.reduce((sum, r) => sum + r.value.length, 0) / records.length,
  };
}

/** `count` fresh records (new message ids) cycling through the payloads' requests. */
export function freshRecords(codec: RegistryCodec, payloads: SizedPayloads, count: number, partitions: number): BenchRecord[] {
  const messages = Array.from({ length: count }, (_, i) => toChatMessage(payloads.requests[i % payloads.requests.length] as SendRequest, Date.now()));
  return toRecords(codec, messages, partitions);
}
