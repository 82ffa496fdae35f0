import type { Producer } from 'kafkajs';
import { ACKS_ALL } from '@wiber/kafka';
import { CORRELATION_KAFKA_HEADER, newCorrelationId } from '@wiber/observability';
import { schemas, type AvroSchemaDefinition, type MetricsSnapshot } from '@wiber/schema';

/** The part of RegistryCodec the publisher needs. */
export interface SnapshotEncoder {
  encode(topic: string, schema: AvroSchemaDefinition, value: unknown): Buffer;
}

export type PublishOutcome = 'published' | 'fenced';

/** Sends one MetricsSnapshot per record, key "snapshot", Avro through the registry. */
export class SnapshotPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly codec: SnapshotEncoder,
    private readonly topic: string,
  ) {}

  /**
   * `stillLeader` is asked after everything else is ready, immediately before the send, so a
   * leader that lost its lease while computing or encoding publishes nothing.
   */
  async publish(snapshot: MetricsSnapshot, stillLeader: () => boolean): Promise<PublishOutcome> {
    const value = this.codec.encode(this.topic, schemas().metricsSnapshot, snapshot);
    const correlationId = newCorrelationId();
    if (!stillLeader()) return 'fenced';
    await this.producer.send({
      topic: this.topic,
      acks: ACKS_ALL,
      messages: [{ key: 'snapshot', value, headers: { [CORRELATION_KAFKA_HEADER]: correlationId } }],
    });
    return 'published';
  }
}
