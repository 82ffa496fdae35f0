import type { Producer } from 'kafkajs';
import type { RunningApp } from './children';
import { runHttpLoad, type HttpLoadResult } from './gateway-load';
import type { SizedPayloads } from './payloads';
import { runProducerCeiling, type CeilingResult } from './producer-ceiling';
import { ceilingBatchSize } from './sizes';
import type { GatewayVariant } from './variants';

export interface GatewayRun {
  variant: GatewayVariant;
  connections: number;
  result: HttpLoadResult;
}

export interface SizeThroughput {
  size: number;
  meanContentBytes: number;
  meanValueBytes: number;
  /** records per send of the bare producer at this size */
  ceilingBatch: number;
  ceiling: CeilingResult;
  gateways: GatewayRun[];
}

export interface ThroughputSettings {
  durationS: number;
  warmupS: number;
  connections: readonly number[];
  maxRequests: number;
  ceilingBatch: number;
  ceilingMaxRecords: number;
  /** the gateway's byte bound of one send (PRODUCE_MAX_BATCH_BYTES); the ceiling sends no more */
  maxBatchBytes: number;
}

/**
 * One message size: the bare producer, then every gateway variant at every connection count,
 * interleaved (variant inside connections) so drift of the shared stack hits all variants alike.
 */
export async function runThroughputForSize(
  payloads: SizedPayloads,
  producer: Producer,
  ceilingTopic: string,
  gateways: ReadonlyArray<{ variant: GatewayVariant; app: RunningApp }>,
  settings: ThroughputSettings,
  log: (line: string) => void,
): Promise<SizeThroughput> {
  const batchSize = ceilingBatchSize(settings.ceilingBatch, payloads.meanValueBytes + 100, settings.maxBatchBytes);
  const ceilingRun = (durationMs: number) =>
    runProducerCeiling({ producer, topic: ceilingTopic, records: payloads.records, batchSize, durationMs, maxRecords: settings.ceilingMaxRecords });
  if (settings.warmupS > 0) await ceilingRun(settings.warmupS * 1000);
  const ceiling = await ceilingRun(settings.durationS * 1000);
  log(`${payloads.size} B: bare producer ${ceiling.perSecond.toFixed(0)} records/s (${batchSize} per send)`);
  const runs: GatewayRun[] = [];
  for (const connections of settings.connections) {
    for (const { variant, app } of gateways) {
      const load = (durationS: number) => runHttpLoad({ gateway: app, requests: payloads.requests, connections, durationS, maxRequests: settings.maxRequests });
      if (settings.warmupS > 0) await load(settings.warmupS);
      const result = await load(settings.durationS);
      runs.push({ variant, connections, result });
      log(`${payloads.size} B: gateway ${variant.key}, ${connections} connections: ${result.acceptedPerSecond.toFixed(0)} accepted/s, p99 ${result.latencyMs.p99} ms, ${result.non2xx} non-2xx`);
    }
  }
  return { size: payloads.size, meanContentBytes: payloads.meanContentBytes, meanValueBytes: payloads.meanValueBytes, ceilingBatch: batchSize, ceiling, gateways: runs };
}
