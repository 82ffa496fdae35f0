import type { Admin } from 'kafkajs';
import type { Db } from 'mongodb';
import type { PartitionLag } from '@wiber/schema';
import { MESSAGES_COLLECTION, type MessageDocument } from '@wiber/mongo';
import type { SourceSettings } from './config';
import { consumerLag, recordsInWindow, summarizeActivity, type Activity, type Figures, type PartitionCount } from './figures';

export interface WindowSettings {
  rateWindowSeconds: number;
  activityWindowSeconds: number;
}

/** Reads the figures of one snapshot from Kafka (admin API) and Mongo. */
export class FigureSources {
  constructor(
    private readonly admin: Admin,
    private readonly db: Db,
    private readonly sources: SourceSettings,
    private readonly windows: WindowSettings,
  ) {}

  async collect(now: number): Promise<Figures> {
    const [messagesInWindow, activity, ingestLag, replayerLag] = await Promise.all([
      this.messagesSince(now - this.windows.rateWindowSeconds * 1000),
      this.activitySince(new Date(now - this.windows.activityWindowSeconds * 1000)),
      this.lag(this.sources.ingestGroupId, this.sources.messagesTopic),
      this.lag(this.sources.replayerGroupId, this.sources.dlqTopic),
    ]);
    return { rateWindowSeconds: this.windows.rateWindowSeconds, messagesInWindow, activity, ingestLag, replayerLag };
  }

  private async messagesSince(timestamp: number): Promise<PartitionCount[]> {
    const start = await this.admin.fetchTopicOffsetsByTimestamp(this.sources.messagesTopic, timestamp);
    const ends = await this.admin.fetchTopicOffsets(this.sources.messagesTopic);
    return recordsInWindow(start, ends);
  }

  private async lag(groupId: string, topic: string): Promise<PartitionLag[]> {
    // ends after committed: a commit landing in between can only make the lag look larger, never negative
    const [committed] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await this.admin.fetchTopicOffsets(topic);
    return consumerLag(groupId, topic, committed?.partitions ?? [], ends);
  }

  /**
   * One pass over the window's messages, grouped by (conversation, sender, recipient): only
   * $match and $group, which FerretDB (the local stack's server) supports. The rows are at most
   * twice the active conversations; distinct users are counted here.
   */
  private async activitySince(since: Date): Promise<Activity> {
    const rows = await this.db
      .collection<MessageDocument>(MESSAGES_COLLECTION)
      .aggregate<{ _id: { c: string; f: string; t: string } }>([
        { $match: { sentAt: { $gte: since } } },
        { $group: { _id: { c: '$conversationId', f: '$fromUser', t: '$toUser' } } },
      ])
      .toArray();
    return summarizeActivity(rows.map(({ _id }) => ({ conversationId: _id.c, fromUser: _id.f, toUser: _id.t })));
  }
}
