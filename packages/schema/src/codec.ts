import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Type } from 'avsc';
import type { AvroSchemaDefinition } from './schemas';
import { frame, unframe, UndecodableValueError } from './wire-format';

export type Compatibility = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FULL' | 'NONE';

export interface RegistryConfig {
  /** Base URL of the Confluent-compatible API, path prefix included (Apicurio: .../apis/ccompat/v7) */
  url: string;
  /** per-request timeout */
  timeoutMs?: number;
}

/** The registry could not be reached or answered with a server error: retry later. */
export class RegistryUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryUnavailableError';
  }
}

/** A value that does not match the schema it is encoded with: the caller's fault. */
export class SchemaValidationError extends Error {
  constructor(
    message: string,
    readonly paths: string[],
  ) {
    super(message);
    this.name = 'SchemaValidationError';
  }
}

/** The registry refused a schema because it breaks the subject's compatibility rule. */
export class SchemaIncompatibleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaIncompatibleError';
  }
}

/** TopicNameStrategy: the value schema of topic T lives under subject `T-value`. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/**
 * Encodes and decodes Kafka values in the Confluent wire format with schemas held in a
 * Schema Registry. Only the Confluent REST API is used, so Confluent's registry or
 * Apicurio's ccompat API both work. Schema ids are cached for the life of the process.
 */
export class RegistryCodec {
  private readonly registry: SchemaRegistry;
  private readonly writerIds = new Map<string, number>();
  private readonly writerTypes = new Map<number, Type>();

  constructor(private readonly config: RegistryConfig) {
    this.registry = new SchemaRegistry({ host: config.url, clientId: 'wiber', retry: { retries: 2 } });
  }

  /**
   * Sets the subject's compatibility level, then registers `schema` as the value schema of
   * `topic` (a no-op returning the existing id when already registered). The registry
   * rejects a schema that breaks compatibility with the previous version.
   */
  async registerValueSchema(
    topic: string,
    schema: AvroSchemaDefinition,
    compatibility: Compatibility = 'BACKWARD',
  ): Promise<number> {
    const subject = valueSubject(topic);
    await this.setCompatibility(subject, compatibility);
    const { id } = await this.call(`register schema for ${subject}`, () =>
      this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema.definition) },
        { subject, compatibility: compatibility as never },
      ),
    );
    this.writerIds.set(topic, id);
    this.writerTypes.set(id, schema.type);
    return id;
  }

  async setCompatibility(subject: string, compatibility: Compatibility): Promise<void> {
    const res = await this.http(`/config/${encodeURIComponent(subject)}`, {
      method: 'PUT',
      body: JSON.stringify({ compatibility }),
    });
    if (!res.ok) {
      throw new RegistryUnavailableError(`setting compatibility of ${subject} failed: HTTP ${res.status} ${await res.text()}`);
    }
  }

  /** Encodes with the schema this process registered for `topic`; the value must match it. */
  encode(topic: string, schema: AvroSchemaDefinition, value: unknown): Buffer {
    const id = this.writerIds.get(topic);
    if (id === undefined) {
      throw new Error(`no value schema registered for topic ${topic}: call registerValueSchema first`);
    }
    const invalidPaths: string[] = [];
    const valid = schema.type.isValid(value, {
      errorHook: (path) => invalidPaths.push(path.join('.') || '(root)'),
    });
    if (!valid) {
      throw new SchemaValidationError(
        `value does not match ${schema.type.name ?? 'schema'}: invalid ${invalidPaths.join(', ')}`,
        invalidPaths,
      );
    }
    return frame(id, schema.type.toBuffer(value));
  }

  /**
   * Decodes a wire-format value into the reader schema's shape (Avro schema resolution
   * from whatever writer schema the id names). Throws UndecodableValueError for values
   * that can never be decoded and RegistryUnavailableError when the registry is down.
   */
  async decode<T>(value: Buffer, reader: AvroSchemaDefinition): Promise<T> {
    const { schemaId, body } = unframe(value);
    const writer = await this.writerType(schemaId);
    try {
      const resolver = writer.equals(reader.type) ? undefined : reader.type.createResolver(writer);
      return reader.type.fromBuffer(body, resolver) as T;
    } catch (error) {
      throw new UndecodableValueError('corrupt-payload', `Avro body does not decode with schema ${schemaId}: ${message(error)}`, schemaId);
    }
  }

  private async writerType(schemaId: number): Promise<Type> {
    const cached = this.writerTypes.get(schemaId);
    if (cached !== undefined) return cached;
    let type: Type;
    try {
      type = (await this.registry.getSchema(schemaId)) as unknown as Type;
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        throw new UndecodableValueError('unknown-schema-id', `schema id ${schemaId} is not in the registry`, schemaId);
      }
      throw new RegistryUnavailableError(`fetching schema ${schemaId} failed: ${message(error)}`, { cause: error });
    }
    this.writerTypes.set(schemaId, type);
    return type;
  }

  /** Checks that the registry answers (for readiness probes). */
  async ping(): Promise<void> {
    const res = await this.http('/subjects', { method: 'GET' });
    if (!res.ok) throw new RegistryUnavailableError(`schema registry answered HTTP ${res.status}`);
  }

  private async http(path: string, init: { method: string; body?: string }): Promise<Response> {
    try {
      return await fetch(`${this.config.url}${path}`, {
        ...init,
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json, application/json' },
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new RegistryUnavailableError(`schema registry at ${this.config.url} is unreachable: ${message(error)}`, { cause: error });
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 409) {
        throw new SchemaIncompatibleError(`${what}: the registry rejected it as incompatible (${message(error)})`);
      }
      if (status === undefined || status >= 500) {
        throw new RegistryUnavailableError(`${what}: ${message(error)}`, { cause: error });
      }
      throw error;
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
