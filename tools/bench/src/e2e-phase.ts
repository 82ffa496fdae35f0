import type { Db } from 'mongodb';
import { MESSAGES_COLLECTION } from '@wiber/mongo';
import { waitFor } from '@wiber/testing';
import type { RunningApp } from './children';
import { stackProcesses } from './cpu';
import { runEndToEnd, type EndToEndResult } from './end-to-end';
import { histogramDelta, readHistogram, type HistogramSnapshot } from './metrics-text';
import type { SizedPayloads } from './payloads';

export interface EndToEndRun {
  result: EndToEndResult;
  /** the ingest-consumer's own histogram over the run: sentAt (gateway) -> Mongo acknowledged */
  stored: HistogramSnapshot;
}

export interface SizeEndToEnd {
  size: number;
  run: EndToEndRun;
}

export interface EndToEndSettings {
  rate: number;
  seconds: number;
  readEvery: number;
  pollMs: number;
  maxGets: number;
}

async function storedLatency(ingest: RunningApp): Promise<HistogramSnapshot> {
  return readHistogram(await (await fetch(`${ingest.url}/metrics`)).text(), 'wiber_ingest_end_to_end_latency_seconds');
}

/**
 * One size at a fixed rate through `gateway` and `ingest` (which writes to `db`). The
 * collection is emptied first (indexes kept), so every size's GETs scan the same amount.
 */
export async function runEndToEndForSize(
  payloads: SizedPayloads,
  gateway: RunningApp,
  ingest: RunningApp,
  db: Db,
  settings: EndToEndSettings,
  userPrefix: string,
): Promise<SizeEndToEnd> {
  await db.collection(MESSAGES_COLLECTION).deleteMany({});
  const before = await storedLatency(ingest);
  const result = await runEndToEnd({
    gatewayUrl: gateway.url,
    rate: settings.rate,
    seconds: settings.seconds,
    userPrefix,
    content: (i) => (payloads.requests[i % payloads.requests.length] as { content: string }).content,
    readEvery: settings.readEvery,
    pollMs: settings.pollMs,
    maxConcurrentGets: settings.maxGets,
    giveUpMs: 30_000,
    cpuOf: { ingest: ingest.app.pid, gateway: gateway.app.pid, ...stackProcesses() },
  });
  // the consumer observes each newly stored message once: wait until it has seen them all
  const after = await waitFor(
    'the ingest-consumer to store every accepted message',
    async () => {
      const now = await storedLatency(ingest);
      return now.count - before.count >= result.accepted ? now : undefined;
    },
    60_000,
    250,
  ).catch(() => storedLatency(ingest));
  return { size: payloads.size, run: { result, stored: histogramDelta(before, after) } };
}
