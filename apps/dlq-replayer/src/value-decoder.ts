import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { unframe, UndecodableValueError } from '@wiber/schema';

export type DecodedValue =
  | { kind: 'avro'; schemaId: number; value: unknown }
  | { kind: 'undecodable'; reason: string; detail: string }
  | { kind: 'null' };

export type ValueDecoder = (value: Buffer | null) => Promise<DecodedValue>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Decodes a Confluent wire-format value with the schema its id names (the writer's schema:
 * the value exactly as it was written, whatever the reader of the source topic expects).
 * Never throws: a value it cannot decode is reported with the reason.
 */
export function registryValueDecoder(registryUrl: string, timeoutMs: number): ValueDecoder {
  const registry = new SchemaRegistry({ host: registryUrl, clientId: 'wiber-dlq', retry: { retries: 0 } });
  return async (value) => {
    if (value === null) return { kind: 'null' };
    let schemaId: number;
    let body: Buffer;
    try {
      ({ schemaId, body } = unframe(value));
    } catch (error) {
      if (error instanceof UndecodableValueError) return { kind: 'undecodable', reason: error.reason, detail: error.message };
      throw error;
    }
    let schema: Awaited<ReturnType<SchemaRegistry['getSchema']>>;
    try {
      schema = await withTimeout(registry.getSchema(schemaId), timeoutMs);
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        return { kind: 'undecodable', reason: 'unknown-schema-id', detail: `schema id ${schemaId} is not in the registry` };
      }
      return { kind: 'undecodable', reason: 'registry-unavailable', detail: `schema registry at ${registryUrl}: ${messageOf(error)}` };
    }
    try {
      const decoded: unknown = schema.fromBuffer(body);
      return { kind: 'avro', schemaId, value: decoded };
    } catch (error) {
      return { kind: 'undecodable', reason: 'corrupt-payload', detail: `Avro body does not decode with schema ${schemaId}: ${messageOf(error)}` };
    }
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** JSON of a decoded Avro value: bytes as hex, longs that do not fit a double as strings. */
export function avroJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    function replacer(this: unknown, key: string, v: unknown) {
      const raw = (this as Record<string, unknown>)[key];
      if (Buffer.isBuffer(raw)) return `hex:${raw.toString('hex')}`;
      if (typeof v === 'bigint') return v.toString();
      return v;
    },
    indent,
  );
}

/** xxd-like: offset, 16 bytes in hex, printable ASCII. */
export function hexDump(bytes: Buffer, indent = '  '): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${indent}${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
