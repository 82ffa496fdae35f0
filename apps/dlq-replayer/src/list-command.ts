import { summarize, type DeadLetterSummary } from './dead-letter';
import { scanDlq } from './dlq-scanner';
import { openDlq, recordsIn, selectRanges } from './dlq-session';
import { EXIT, type ExitCode } from './exit-codes';
import { matches, type DeadLetterFilter } from './filters';
import type { Io } from './io';
import { formatDeadLetterTable } from './list-format';
import type { Settings } from './settings';

export interface ListOptions {
  filter: DeadLetterFilter;
  /** show the oldest `limit` matching dead letters */
  limit?: number;
  json: boolean;
}

/** Oldest first (time dead-lettered), then by DLQ partition and offset. */
export function byAge(a: DeadLetterSummary, b: DeadLetterSummary): number {
  return a.deadLetteredAt.localeCompare(b.deadLetteredAt) || a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1);
}

/** Reads the whole DLQ (to its end when the command started) without committing anything. */
export async function runList(settings: Settings, options: ListOptions, io: Io, signal: AbortSignal): Promise<ExitCode> {
  const session = await openDlq(settings);
  try {
    const ranges = selectRanges(session, settings.dlqTopic, 'low', options.filter.partitions);
    const matching: DeadLetterSummary[] = [];
    let scanned = 0;
    const result = await scanDlq({
      kafka: session.kafka,
      settings,
      topic: settings.dlqTopic,
      groupId: session.readerGroupId,
      ranges,
      seek: true,
      commit: false,
      signal,
      handle: async (letter) => {
        scanned += 1;
        if (matches(letter, options.filter)) matching.push(summarize(letter));
        return 'passed';
      },
    });
    if (result.stoppedEarly) return EXIT.interrupted;
    matching.sort(byAge);
    const shown = options.limit === undefined ? matching : matching.slice(0, options.limit);
    if (options.json) {
      io.out(JSON.stringify(shown, null, 2));
      return EXIT.ok;
    }
    const total = recordsIn(ranges);
    if (shown.length === 0) {
      io.out(`no dead letters match in ${settings.dlqTopic} (${scanned} of ${total} scanned)`);
      return EXIT.ok;
    }
    io.out(formatDeadLetterTable(shown));
    io.out('');
    const of = shown.length < matching.length ? `the oldest ${shown.length} of ${matching.length}` : `${shown.length}`;
    io.out(`${of} matching dead letter${matching.length === 1 ? '' : 's'} in ${settings.dlqTopic} (${scanned} scanned)`);
    return EXIT.ok;
  } finally {
    await session.close();
  }
}
