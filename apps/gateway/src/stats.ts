import type { Request, Response } from 'express';
import type { MetricsSnapshotReader } from '@wiber/kafka';
import type { Logger } from '@wiber/observability';
import type { MetricsSnapshot } from '@wiber/schema';
import { serviceUnavailable } from './problem';

/** What GET /stats needs: the newest snapshot that passed the epoch rule. */
export interface SnapshotSource {
  latest(): MetricsSnapshot | undefined;
  latestReceivedAt(): number | undefined;
}

/** GET /stats: the leader's latest MetricsSnapshot, read from wiber.metrics (apps talk only through Kafka). */
export function statsHandler(source: SnapshotSource) {
  return (_req: Request, res: Response, next: (error: unknown) => void): void => {
    const snapshot = source.latest();
    if (snapshot === undefined) {
      next(serviceUnavailable('no metrics snapshot received yet: is leader-metrics running?', 15));
      return;
    }
    const receivedAt = source.latestReceivedAt() ?? snapshot.generatedAt;
    res.json({ ...snapshot, receivedAt, ageSeconds: Math.max(0, Math.round((Date.now() - snapshot.generatedAt) / 1000)) });
  };
}

/** Starts the reader in the background, retrying while Kafka is unreachable. */
export function followSnapshots(reader: MetricsSnapshotReader, logger: Logger): { stop(): Promise<void> } {
  let stopped = false;
  void (async () => {
    for (let delay = 500; !stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        await reader.start();
        return;
      } catch (error) {
        await reader.stop().catch(() => undefined);
        logger.warn(`metrics snapshot reader cannot start yet, retrying in ${delay} ms`, { error: String(error) });
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await reader.stop();
    },
  };
}

