/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro body. */
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

export type DecodeFailureReason = 'truncated-header' | 'bad-magic-byte' | 'unknown-schema-id' | 'corrupt-payload';

/** A value that can never be decoded, whatever is retried: it belongs in the dead-letter queue. */
export class UndecodableValueError extends Error {
  constructor(
    readonly reason: DecodeFailureReason,
    message: string,
    readonly schemaId?: number,
  ) {
    super(message);
    this.name = 'UndecodableValueError';
  }
}

export interface WireFrame {
  schemaId: number;
  body: Buffer;
}

export function frame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

export function unframe(value: Buffer): WireFrame {
  if (value.length < HEADER_LENGTH) {
    throw new UndecodableValueError(
      'truncated-header',
      `value is ${value.length} bytes, shorter than the 5-byte Confluent wire-format header`,
    );
  }
  const magic = value.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new UndecodableValueError('bad-magic-byte', `value starts with magic byte ${magic}, expected ${MAGIC_BYTE}`);
  }
  return { schemaId: value.readInt32BE(1), body: value.subarray(HEADER_LENGTH) };
}
