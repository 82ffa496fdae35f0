import type { MetricsSnapshot, PartitionLag, PartitionRate } from '@wiber/schema';

/** Offsets of one partition as Kafka reports them (strings of integers). */
export interface PartitionEnd {
  partition: number;
  /** next offset to be written */
  high: string;
  /** earliest offset still retained */
  low: string;
}

export interface PartitionOffset {
  partition: number;
  /** -1 when none */
  offset: string;
}

export interface PartitionCount {
  partition: number;
  count: number;
}

/**
 * Records per partition from the first offset whose timestamp is inside the window to the end
 * of the log. `windowStart` is what ListOffsets(timestamp) answered; `ends` were read after it.
 */
export function recordsInWindow(windowStart: readonly PartitionOffset[], ends: readonly PartitionEnd[]): PartitionCount[] {
  return ends
    .map((end) => {
      const high = Number(end.high);
      const start = Number(windowStart.find((s) => s.partition === end.partition)?.offset ?? end.high);
      return { partition: end.partition, count: Math.max(0, high - (start < 0 ? high : Math.min(start, high))) };
    })
    .sort((a, b) => a.partition - b.partition);
}

/**
 * Consumer lag per partition: records after the group's committed offset. A partition the group
 * never committed counts everything still retained (consumers here start from the beginning).
 */
export function consumerLag(group: string, topic: string, committed: readonly PartitionOffset[], ends: readonly PartitionEnd[]): PartitionLag[] {
  return ends
    .map((end) => {
      const high = Number(end.high);
      const low = Number(end.low);
      const offset = Number(committed.find((c) => c.partition === end.partition)?.offset ?? -1);
      const from = offset < 0 ? low : Math.max(offset, low);
      return { group, topic, partition: end.partition, lag: Math.max(0, high - from) };
    })
    .sort((a, b) => a.partition - b.partition);
}

export interface ActivityRow {
  conversationId: string;
  fromUser: string;
  toUser: string;
}

export interface Activity {
  activeConversations: number;
  activeUsers: number;
}

/** Distinct conversations, and distinct senders or recipients, among (conversation, from, to) rows. */
export function summarizeActivity(rows: readonly ActivityRow[]): Activity {
  const conversations = new Set<string>();
  const users = new Set<string>();
  for (const row of rows) {
    conversations.add(row.conversationId);
    users.add(row.fromUser);
    users.add(row.toUser);
  }
  return { activeConversations: conversations.size, activeUsers: users.size };
}

export interface Figures {
  rateWindowSeconds: number;
  /** records appended to the messages topic within the rate window, per partition */
  messagesInWindow: PartitionCount[];
  activity: Activity;
  /** lag of the ingest group on the messages topic, then of the replayer group on the DLQ */
  ingestLag: PartitionLag[];
  replayerLag: PartitionLag[];
}

/** The snapshot the leader publishes; DLQ depth is the replayer's lag on the dead-letter topic. */
export function buildSnapshot(figures: Figures, leaderId: string, epoch: number, generatedAt: number): MetricsSnapshot {
  const perMinute = (count: number): number => (count * 60) / figures.rateWindowSeconds;
  const byPartition: PartitionRate[] = figures.messagesInWindow.map(({ partition, count }) => ({ partition, perMinute: perMinute(count) }));
  return {
    leaderId,
    epoch,
    generatedAt,
    windowSeconds: figures.rateWindowSeconds,
    messagesPerMinute: perMinute(figures.messagesInWindow.reduce((sum, p) => sum + p.count, 0)),
    messagesPerMinuteByPartition: byPartition,
    activeConversations: figures.activity.activeConversations,
    activeUsers: figures.activity.activeUsers,
    consumerLag: [...figures.ingestLag, ...figures.replayerLag],
    dlqDepth: figures.replayerLag.reduce((sum, p) => sum + p.lag, 0),
  };
}
