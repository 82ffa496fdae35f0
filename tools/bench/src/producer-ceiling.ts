import type { Producer } from 'kafkajs';
import { ACKS_ALL } from '@wiber/kafka';
import { CpuMeter, stackProcesses, type CpuUsage } from './cpu';
import { byPartition, type BenchRecord } from './records';
import { perSecond, summarize, type LatencySummary } from './stats';

export interface CeilingOptions {
  producer: Producer;
  topic: string;
  records: readonly BenchRecord[];
  /** records per send (one partition per send, as the gateway) */
  batchSize: number;
  durationMs: number;
  /** stop after this many records even if time remains */
  maxRecords: number;
}

export interface CeilingResult {
  records: number;
  sends: number;
  elapsedMs: number;
  perSecond: number;
  /** one sample per send: from send() to its acknowledgement (acks=all) */
  sendLatencyMs: LatencySummary;
  cpu: CpuUsage;
}

/**
 * The bare producer: each partition sends batches of the same records back to back, one
 * send in flight per partition, all partitions at once, until time or count runs out.
 * Records are cycled if the run outlasts them (same bytes, same keys).
 */
export async function runProducerCeiling(options: CeilingOptions): Promise<CeilingResult> {
  const groups = byPartition(options.records);
  const latencies: number[] = [];
  let sent = 0;
  let sends = 0;
  const cpu = new CpuMeter({ producer: process.pid, ...stackProcesses() }).start();
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    [...groups].map(async ([partition, records]) => {
      let next = 0;
      while (performance.now() < deadline && sent < options.maxRecords) {
        const size = Math.min(options.batchSize, options.maxRecords - sent);
        const batch = Array.from({ length: size }, () => records[next++ % records.length] as BenchRecord);
        sent += size;
        const t0 = performance.now();
        await options.producer.send({
          topic: options.topic,
          acks: ACKS_ALL,
          messages: batch.map((r) => ({ key: r.key, value: r.value, headers: r.headers, partition })),
        });
        latencies.push(performance.now() - t0);
        sends++;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  return { records: sent, sends, elapsedMs, perSecond: perSecond(sent, elapsedMs), sendLatencyMs: summarize(latencies), cpu: cpu.stop() };
}
