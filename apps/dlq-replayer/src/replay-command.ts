import type { Producer } from 'kafkajs';
import { ACKS_ALL, createProducer } from '@wiber/kafka';
import { summarize, type DeadLetter, type DeadLetterSummary } from './dead-letter';
import { scanDlq, type Verdict } from './dlq-scanner';
import { openDlq, recordsIn, selectRanges, type DlqSession } from './dlq-session';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { matches, type DeadLetterFilter } from './filters';
import { PromptInterruptedError, type Io } from './io';
import { groupPositions, withinTimeout, type PartitionRange } from './kafka-session';
import { formatDeadLetterTable } from './list-format';
import { NO_PROGRESS, terminalProgress, type Progress, type ReplayCounts } from './progress';
import { RateLimiter } from './rate-limiter';
import { replayMessage } from './replay-message';
import type { Settings } from './settings';

export interface ReplayOptions {
  filter: DeadLetterFilter;
  /** replay at most this many, then stop (the rest stay for the next run) */
  limit?: number;
  dryRun: boolean;
  /** records per second */
  rate?: number;
  yes: boolean;
  fromBeginning: boolean;
  json: boolean;
}

export interface ReplayFailure {
  partition: number;
  offset: string;
  topic: string | null;
  error: string;
}

export interface ReplaySummary {
  dlqTopic: string;
  group: string;
  dryRun: boolean;
  interrupted: boolean;
  limitReached: boolean;
  replayed: number;
  skippedByFilter: number;
  failed: number;
  failures: ReplayFailure[];
  /** records replayed (or, in a dry run, to be replayed) per source topic */
  targets: Record<string, number>;
  /** dry run only */
  wouldReplay?: DeadLetterSummary[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a replay would do from the given positions, read without committing. */
async function plan(session: DlqSession, settings: Settings, ranges: Map<number, PartitionRange>, options: ReplayOptions, signal: AbortSignal): Promise<ReplaySummary> {
  const summary = emptySummary(settings, true);
  const wouldReplay: DeadLetterSummary[] = [];
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
      if (!matches(letter, options.filter)) {
        summary.skippedByFilter += 1;
        return 'passed';
      }
      if (options.limit !== undefined && wouldReplay.length >= options.limit) {
        summary.limitReached = true;
        return 'stop';
      }
      wouldReplay.push(summarize(letter));
      const target = letter.source.topic ?? '(no wiber.dlq.topic header: would fail)';
      summary.targets[target] = (summary.targets[target] ?? 0) + 1;
      return 'passed';
    },
  });
  summary.interrupted = result.stoppedEarly && signal.aborted;
  summary.wouldReplay = wouldReplay.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  return summary;
}

function emptySummary(settings: Settings, dryRun: boolean): ReplaySummary {
  return {
    dlqTopic: settings.dlqTopic,
    group: settings.groupId,
    dryRun,
    interrupted: false,
    limitReached: false,
    replayed: 0,
    skippedByFilter: 0,
    failed: 0,
    failures: [],
    targets: {},
  };
}

function targetsText(targets: Record<string, number>): string {
  const entries = Object.entries(targets);
  return entries.length === 0 ? 'no topic' : entries.map(([topic, count]) => `${topic} (${count})`).join(', ');
}

/**
 * Republishes dead letters to their source topics as the replayer's consumer group,
 * committing each one's DLQ offset once the republished record is acknowledged (acks=all),
 * so a later run (or one after an interruption) starts after it. A dead letter that fails
 * stops its partition there: nothing after it in that partition is committed.
 */
export async function runReplay(settings: Settings, options: ReplayOptions, io: Io, signal: AbortSignal): Promise<ExitCode> {
  if (!options.dryRun && !options.yes && !io.interactive) {
    throw new CliError('replay writes to the source topics and needs confirmation: run it on a terminal, or pass --yes (--dry-run shows what it would do)', EXIT.usage);
  }
  const session = await openDlq(settings);
  let producer: Producer | undefined;
  try {
    const starts = options.fromBeginning ? 'low' : await groupPositions(session.admin, settings.groupId, settings.dlqTopic, session.bounds, settings);
    const ranges = selectRanges(session, settings.dlqTopic, starts, options.filter.partitions);
    const from = options.fromBeginning ? 'from the beginning' : `from the offsets committed by ${settings.groupId}`;

    if (options.dryRun || !options.yes) {
      const planned = await plan(session, settings, ranges, options, signal);
      if (planned.interrupted) return EXIT.interrupted;
      const count = planned.wouldReplay?.length ?? 0;
      if (options.dryRun) {
        printDryRun(planned, from, options.json, io);
        return EXIT.ok;
      }
      if (count === 0) {
        printSummary({ ...planned, dryRun: false, wouldReplay: undefined, targets: {} }, options.json, io);
        return EXIT.ok;
      }
      const skipped = planned.skippedByFilter > 0 ? `; ${planned.skippedByFilter} not matching the filters will be committed past` : '';
      let confirmed: boolean;
      try {
        confirmed = await io.confirm(`Replay ${count} dead letter${count === 1 ? '' : 's'} from ${settings.dlqTopic} (${from}) to ${targetsText(planned.targets)}${skipped}?`, signal);
      } catch (error) {
        if (error instanceof PromptInterruptedError) return EXIT.interrupted;
        throw error;
      }
      if (!confirmed) {
        io.err('nothing replayed');
        return EXIT.declined;
      }
    }

    const connecting = createProducer(session.kafka);
    producer = connecting;
    await withinTimeout(settings, 'connecting the producer', connecting.connect());
    const summary = await replay(session, settings, ranges, options, connecting, io, signal);
    printSummary(summary, options.json, io);
    if (summary.interrupted) return EXIT.interrupted;
    return summary.failed > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    await producer?.disconnect().catch(() => undefined);
    await session.close();
  }
}

async function replay(
  session: DlqSession,
  settings: Settings,
  ranges: Map<number, PartitionRange>,
  options: ReplayOptions,
  producer: Producer,
  io: Io,
  signal: AbortSignal,
): Promise<ReplaySummary> {
  const summary = emptySummary(settings, false);
  const counts: ReplayCounts = { scanned: 0, replayed: 0, skipped: 0, failed: 0 };
  const progress: Progress = io.progress && !options.json ? terminalProgress() : NO_PROGRESS;
  const limiter = new RateLimiter(options.rate);
  const fail = (letter: DeadLetter, error: string): Verdict => {
    summary.failures.push({ partition: letter.partition, offset: letter.offset, topic: letter.source.topic ?? null, error });
    counts.failed += 1;
    counts.scanned += 1;
    progress.update(counts);
    return 'stop-partition';
  };
  let progressStarted = false;
  try {
    const result = await scanDlq({
      kafka: session.kafka,
      settings,
      topic: settings.dlqTopic,
      groupId: settings.groupId,
      ranges,
      seek: options.fromBeginning,
      commit: true,
      signal,
      onAssigned: (partitions) => {
        if (progressStarted) return;
        progressStarted = true;
        progress.start(recordsIn(new Map([...ranges].filter(([p]) => partitions.includes(p)))));
      },
      handle: async (letter, heartbeat) => {
        if (!matches(letter, options.filter)) {
          counts.skipped += 1;
          counts.scanned += 1;
          progress.update(counts);
          return 'passed';
        }
        if (options.limit !== undefined && counts.replayed >= options.limit) {
          summary.limitReached = true;
          return 'stop';
        }
        const target = letter.source.topic;
        if (target === undefined) return fail(letter, 'no wiber.dlq.topic header: not a dead letter wiber-dlq can replay');
        if (!(await limiter.wait(heartbeat, signal))) return 'stop';
        try {
          await producer.send({ topic: target, acks: ACKS_ALL, messages: [replayMessage(letter, settings.dlqTopic, new Date())] });
        } catch (error) {
          return fail(letter, messageOf(error));
        }
        counts.replayed += 1;
        counts.scanned += 1;
        summary.targets[target] = (summary.targets[target] ?? 0) + 1;
        progress.update(counts);
        return 'handled';
      },
    });
    summary.interrupted = result.stoppedEarly && signal.aborted;
  } finally {
    progress.stop();
  }
  summary.replayed = counts.replayed;
  summary.skippedByFilter = counts.skipped;
  summary.failed = counts.failed;
  return summary;
}

function printDryRun(summary: ReplaySummary, from: string, json: boolean, io: Io): void {
  if (json) {
    io.out(JSON.stringify(summary, null, 2));
    return;
  }
  const letters = summary.wouldReplay ?? [];
  if (letters.length > 0) {
    io.out(formatDeadLetterTable(letters));
    io.out('');
  }
  const limit = summary.limitReached ? ' (--limit reached)' : '';
  io.out(
    `dry run: would replay ${letters.length}${limit} to ${targetsText(summary.targets)}, skip ${summary.skippedByFilter} by filter, ` +
      `reading ${summary.dlqTopic} ${from}; nothing written, no offsets committed`,
  );
}

function printSummary(summary: ReplaySummary, json: boolean, io: Io): void {
  if (json) {
    io.out(JSON.stringify(summary, null, 2));
    return;
  }
  for (const failure of summary.failures) {
    io.err(`failed ${summary.dlqTopic} ${failure.partition}:${failure.offset} -> ${failure.topic ?? '?'}: ${failure.error}`);
  }
  io.out(
    `replayed ${summary.replayed}, skipped by filter ${summary.skippedByFilter}, failed ${summary.failed} ` +
      `(${summary.dlqTopic} -> ${targetsText(summary.targets)}; group ${summary.group})`,
  );
  if (summary.failed > 0) io.err('a partition stops at its first failed dead letter (nothing after it is committed): fix the cause and run the same command again');
  if (summary.interrupted) io.err('interrupted: what was replayed is committed; run the same command again to go on');
  else if (summary.limitReached) io.err('stopped at --limit: run again for the rest');
}
