import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { UNPROCESSABLE_REASONS } from './unprocessable';

export type MessageResult = 'inserted' | 'duplicate' | 'failed';
export type RetriedOperation = 'decode' | 'insert' | 'dead-letter' | 'startup' | 'record';
const RETRIED_OPERATIONS: readonly RetriedOperation[] = ['decode', 'insert', 'dead-letter', 'startup', 'record'];

export interface IngestMetrics {
  messages: Counter<'result'>;
  unprocessable: Counter<'reason'>;
  deadLettered: Counter<'reason'>;
  batchSize: Histogram;
  writeDuration: Histogram;
  endToEndLatency: Histogram;
  retries: Counter<'operation'>;
  circuitOpen: Gauge;
  committedOffset: Gauge<'topic' | 'partition'>;
  consumerLag: Gauge<'topic' | 'partition'>;
  assignedPartitions: Gauge;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  const metrics: IngestMetrics = {
    messages: new Counter({
      name: 'wiber_ingest_messages_total',
      help: 'Records handled, by result: inserted, duplicate (already stored, counted as success), failed (unprocessable, dead-lettered)',
      labelNames: ['result'],
      registers,
    }),
    unprocessable: new Counter({
      name: 'wiber_ingest_unprocessable_total',
      help: 'Records that cannot be stored, handed to the dead-letter topic and committed past, by reason',
      labelNames: ['reason'],
      registers,
    }),
    deadLettered: new Counter({
      name: 'wiber_dlq_messages_total',
      help: 'Records written to the dead-letter topic (acknowledged by all in-sync replicas), by reason',
      labelNames: ['reason'],
      registers,
    }),
    batchSize: new Histogram({
      name: 'wiber_ingest_batch_size',
      help: 'Documents per Mongo insertMany',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    }),
    writeDuration: new Histogram({
      name: 'wiber_ingest_write_duration_seconds',
      help: 'Time until Mongo acknowledged an insertMany (successful attempts)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    endToEndLatency: new Histogram({
      name: 'wiber_ingest_end_to_end_latency_seconds',
      help: 'From sentAt (accepted by the gateway) to acknowledged by Mongo, per newly stored message',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    retries: new Counter({
      name: 'wiber_ingest_retries_total',
      help: 'Failed attempts that will be retried after a backoff, by operation (record: records retried one by one before the DLQ)',
      labelNames: ['operation'],
      registers,
    }),
    circuitOpen: new Gauge({
      name: 'wiber_ingest_circuit_open',
      help: '1 while consumption is paused because a dependency (Mongo, registry) keeps failing',
      registers,
    }),
    committedOffset: new Gauge({
      name: 'wiber_ingest_committed_offset',
      help: 'Next offset to read, as last committed by this instance, per partition',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'wiber_ingest_consumer_lag',
      help: 'Records behind the high watermark after the last commit, per partition (as of the last fetch)',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    assignedPartitions: new Gauge({
      name: 'wiber_ingest_assigned_partitions',
      help: 'Partitions assigned to this instance',
      registers,
    }),
  };
  // so every series exists from the start (a rate over a missing series shows "no data")
  for (const result of ['inserted', 'duplicate', 'failed'] as const) metrics.messages.inc({ result }, 0);
  for (const operation of RETRIED_OPERATIONS) metrics.retries.inc({ operation }, 0);
  for (const reason of UNPROCESSABLE_REASONS) {
    metrics.unprocessable.inc({ reason }, 0);
    metrics.deadLettered.inc({ reason }, 0);
  }
  metrics.circuitOpen.set(0);
  metrics.assignedPartitions.set(0);
  return metrics;
}
