import { SingleBar } from 'cli-progress';

export interface ReplayCounts {
  scanned: number;
  replayed: number;
  skipped: number;
  failed: number;
}

export interface Progress {
  start(total: number): void;
  update(counts: ReplayCounts): void;
  stop(): void;
}

export const NO_PROGRESS: Progress = { start: () => undefined, update: () => undefined, stop: () => undefined };

/** A bar on stderr: records scanned of those to scan, what happened to them, and the replay rate. */
export function terminalProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  const bar = new SingleBar({
    stream,
    format: 'replaying [{bar}] {value}/{total} scanned | replayed {replayed} | skipped {skipped} | failed {failed} | {rate}/s | {duration_formatted}',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  });
  let started = 0;
  return {
    start: (total) => {
      started = Date.now();
      bar.start(total, 0, { replayed: 0, skipped: 0, failed: 0, rate: '0.0' });
    },
    update: (counts) => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(counts.scanned, { ...counts, rate: (counts.replayed / seconds).toFixed(1) });
    },
    stop: () => bar.stop(),
  };
}
