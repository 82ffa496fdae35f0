import { randomUUID } from 'node:crypto';
import { Type, type Schema } from 'avsc';
import {
  frame,
  RegistryCodec,
  schemas,
  SchemaIncompatibleError,
  SchemaValidationError,
  UndecodableValueError,
  type ChatMessage,
} from '../src';

const REGISTRY_URL = process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

const message: ChatMessage = {
  messageId: randomUUID(),
  conversationId: 'alice:bob',
  fromUser: 'alice',
  toUser: 'bob',
  content: 'hello over Avro',
  sentAt: Date.now(),
  clientMessageId: 'client-1',
};

function definitionOf(schema: Schema, fields: unknown[]): { definition: Schema; type: Type } {
  const definition = { ...(schema as object), fields } as Schema;
  return { definition, type: Type.forSchema(definition) };
}

describe('RegistryCodec against the local Schema Registry', () => {
  const codec = new RegistryCodec({ url: REGISTRY_URL });
  // a fresh topic name per run, so schema evolution starts from a clean subject
  const topic = `test.codec.${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await codec.ping().catch((error: Error) => {
      throw new Error(`${error.message} — is the local stack up? (npm run stack -- up)`);
    });
  });

  it('round-trips a ChatMessage in the Confluent wire format', async () => {
    const id = await codec.registerValueSchema(topic, schemas().chatMessage);
    const encoded = codec.encode(topic, schemas().chatMessage, message);
    expect(encoded.readUInt8(0)).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    await expect(codec.decode<ChatMessage>(encoded, schemas().chatMessage)).resolves.toEqual(message);
    // a second codec (another process) decodes it by fetching the schema by id
    const other = new RegistryCodec({ url: REGISTRY_URL });
    await expect(other.decode<ChatMessage>(encoded, schemas().chatMessage)).resolves.toEqual(message);
  });

  it('registering the same schema again returns the same id', async () => {
    const first = await codec.registerValueSchema(topic, schemas().chatMessage);
    const second = await new RegistryCodec({ url: REGISTRY_URL }).registerValueSchema(topic, schemas().chatMessage);
    expect(second).toBe(first);
  });

  it('refuses to encode a value the schema rejects', () => {
    expect(() => codec.encode(topic, schemas().chatMessage, { ...message, content: 42 })).toThrow(SchemaValidationError);
  });

  it('accepts a BACKWARD-compatible change and rejects an incompatible one', async () => {
    const base = schemas().chatMessage.definition as { fields: unknown[] };
    const compatible = definitionOf(schemas().chatMessage.definition, [
      ...base.fields,
      { name: 'editedAt', type: ['null', 'long'], default: null },
    ]);
    const compatibleId = await codec.registerValueSchema(topic, compatible);
    expect(compatibleId).toBeGreaterThan(0);

    const incompatible = definitionOf(schemas().chatMessage.definition, [
      ...base.fields,
      { name: 'editedAt', type: ['null', 'long'], default: null },
      { name: 'priority', type: 'int' },
    ]);
    await expect(codec.registerValueSchema(topic, incompatible)).rejects.toThrow(SchemaIncompatibleError);
  });

  it('classifies undecodable values', async () => {
    const id = await codec.registerValueSchema(topic, schemas().chatMessage);
    const reasonOf = async (value: Buffer): Promise<string> => {
      try {
        await codec.decode(value, schemas().chatMessage);
        return 'decoded';
      } catch (error) {
        expect(error).toBeInstanceOf(UndecodableValueError);
        return (error as UndecodableValueError).reason;
      }
    };
    expect(await reasonOf(Buffer.from('not avro at all'))).toBe('bad-magic-byte');
    expect(await reasonOf(frame(2_000_000_000, Buffer.from([2, 65])))).toBe('unknown-schema-id');
    expect(await reasonOf(frame(id, Buffer.from([0xff, 0xff, 0xff])))).toBe('corrupt-payload');
  });
});
