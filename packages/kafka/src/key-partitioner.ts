import { Partitioners, type PartitionMetadata } from 'kafkajs';

/**
 * The partition kafkajs's DefaultPartitioner (murmur2, as the Java client) picks for `key`
 * in a topic of `partitionCount` partitions: the same conversation lands in the same
 * partition whichever client writes it. Keyed records never depend on leader availability.
 */
export function keyPartitioner(topic: string, partitionCount: number): (key: string) => number {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) throw new Error(`partition count must be at least 1, got ${partitionCount}`);
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitionCount }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: partitionId,
    replicas: [],
    isr: [],
  }));
  const partitioner = Partitioners.DefaultPartitioner();
  return (key) => partitioner({ topic, partitionMetadata, message: { key, value: null } });
}
