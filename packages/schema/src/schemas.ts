import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Schema } from 'avsc';

/**
 * Directory of the .avsc files. Bundled apps copy `avro/` next to their bundle and
 * set WIBER_AVRO_DIR when it is elsewhere.
 */
function avroDir(): string {
  return process.env['WIBER_AVRO_DIR'] ?? join(__dirname, 'avro');
}

export interface AvroSchemaDefinition {
  /** the .avsc JSON as parsed */
  definition: Schema;
  /** the same, compiled by avsc (plain longs: timestamp-millis is a number of ms) */
  type: Type;
}

function load(file: string): AvroSchemaDefinition {
  const definition = JSON.parse(readFileSync(join(avroDir(), file), 'utf8')) as Schema;
  return { definition, type: Type.forSchema(definition) };
}

let cache: { chatMessage: AvroSchemaDefinition; metricsSnapshot: AvroSchemaDefinition } | undefined;

export function schemas(): { chatMessage: AvroSchemaDefinition; metricsSnapshot: AvroSchemaDefinition } {
  cache ??= {
    chatMessage: load('chat-message.avsc'),
    metricsSnapshot: load('metrics-snapshot.avsc'),
  };
  return cache;
}
