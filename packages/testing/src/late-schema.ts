import { randomUUID } from 'node:crypto';
import { frame, schemas, type ChatMessage } from '@wiber/schema';
import { SCHEMA_REGISTRY_URL } from './environment';

async function register(subject: string, schema: unknown): Promise<number> {
  const response = await fetch(`${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  if (!response.ok) throw new Error(`registering ${subject} failed: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: number }).id;
}

/** A record schema whose content the registry has never seen, so registering it takes a fresh id. */
function uniqueRecord(extraField: string, base: Record<string, unknown>): Record<string, unknown> {
  const fields = (base['fields'] as unknown[]) ?? [];
  // a null-typed field encodes to zero bytes: values are byte-for-byte ChatMessage encodings
  return { ...base, fields: [...fields, { name: extraField, type: 'null', default: null }] };
}

/**
 * A schema id that is unknown when a record using it is produced and registered a moment
 * later, on the real registry. The registry (Apicurio's ccompat API) gives new content the
 * next id of one global sequence and cannot be told which id to use, so the id is predicted:
 * register a throwaway new schema (id n), write records with n + 1, then register the real
 * one. If another client registered new content in between, `register` returns a different
 * id and the caller must start over with fresh names (`predicted` no longer means our schema).
 */
export class LateSchema {
  private predictedId: number | undefined;
  private readonly field = `late_${randomUUID().replace(/-/g, '')}`;

  constructor(private readonly subject: string) {}

  async predict(): Promise<number> {
    const throwaway = uniqueRecord(`reserve_${randomUUID().replace(/-/g, '')}`, { type: 'record', name: 'Reserve', fields: [] });
    this.predictedId = (await register(`test.reserve-${randomUUID()}-value`, throwaway)) + 1;
    return this.predictedId;
  }

  get predicted(): number {
    if (this.predictedId === undefined) throw new Error('call predict() first');
    return this.predictedId;
  }

  /** The wire-format value of `message` under the predicted id. */
  encode(message: ChatMessage): Buffer {
    return frame(this.predicted, schemas().chatMessage.type.toBuffer(message));
  }

  /** Registers the schema (ChatMessage plus a null field: readable as ChatMessage); returns the id it got. */
  register(): Promise<number> {
    return register(this.subject, uniqueRecord(this.field, schemas().chatMessage.definition as unknown as Record<string, unknown>));
  }
}
