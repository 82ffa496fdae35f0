import { Kafka, logLevel, type Admin, type LogEntry } from 'kafkajs';
import { CliError, EXIT } from './exit-codes';
import type { Settings } from './settings';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A kafkajs client for a short-lived command: few retries (an unreachable cluster is
 * reported within --timeout instead of after minutes), and its own logs only with --verbose,
 * on stderr (stdout is for the command's output).
 */
export function createCliKafka(settings: Settings): Kafka {
  return new Kafka({
    clientId: settings.kafka.clientId,
    brokers: settings.kafka.brokers,
    ssl: settings.kafka.ssl,
    connectionTimeout: Math.min(settings.kafka.connectionTimeoutMs, settings.timeoutMs),
    requestTimeout: settings.kafka.requestTimeoutMs,
    retry: { initialRetryTime: 250, maxRetryTime: 2_000, retries: 3 },
    logLevel: settings.verbose ? logLevel.INFO : logLevel.NOTHING,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...meta } = log;
        process.stderr.write(`kafkajs ${logLevel[level]}: ${message} ${JSON.stringify(meta)}\n`);
      },
  });
}

/** Rejects with a CliError (exit 69) when `work` does not finish within the settings' timeout. */
export async function withinTimeout<T>(settings: Settings, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CliError(`${what}: no answer from Kafka at ${settings.kafka.brokers.join(',')} within ${settings.timeoutMs / 1000} s`, EXIT.unavailable)),
      settings.timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An admin client that is connected, or one clear CliError saying Kafka cannot be reached. */
export async function connectAdmin(kafka: Kafka, settings: Settings): Promise<Admin> {
  const admin = kafka.admin();
  try {
    await withinTimeout(
      settings,
      'connecting',
      admin.connect().then(() => admin.describeCluster()),
    );
    return admin;
  } catch (error) {
    void admin.disconnect().catch(() => undefined);
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot reach Kafka at ${settings.kafka.brokers.join(',')}: ${messageOf(error)}`, EXIT.unavailable);
  }
}

export interface PartitionRange {
  /** first offset to read */
  start: bigint;
  /** the partition's end (high watermark) when the command started: reading stops there */
  end: bigint;
}

/** Low and high watermark of every partition of `topic`; CliError (exit 4) when it does not exist. */
export async function partitionBounds(admin: Admin, topic: string, settings: Settings): Promise<Map<number, { low: bigint; high: bigint }>> {
  const topics = await withinTimeout(settings, 'listing topics', admin.listTopics());
  if (!topics.includes(topic)) throw new CliError(`topic ${topic} does not exist`, EXIT.notFound);
  const offsets = await withinTimeout(settings, `reading the offsets of ${topic}`, admin.fetchTopicOffsets(topic));
  return new Map(offsets.map((o) => [o.partition, { low: BigInt(o.low), high: BigInt(o.high) }]));
}

/** Where the group would resume per partition: its committed offset, or the low watermark when it has none (or it is below the low watermark). */
export async function groupPositions(
  admin: Admin,
  groupId: string,
  topic: string,
  bounds: Map<number, { low: bigint; high: bigint }>,
  settings: Settings,
): Promise<Map<number, bigint>> {
  const [committed] = await withinTimeout(settings, `reading the offsets of group ${groupId}`, admin.fetchOffsets({ groupId, topics: [topic] }));
  const positions = new Map<number, bigint>();
  for (const [partition, { low }] of bounds) {
    const offset = committed?.partitions.find((p) => p.partition === partition)?.offset;
    const value = offset === undefined || Number(offset) < 0 ? low : BigInt(offset);
    positions.set(partition, value < low ? low : value);
  }
  return positions;
}
