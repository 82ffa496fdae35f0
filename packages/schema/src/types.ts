/** TypeScript shape of `avro/chat-message.avsc` (kept equal by schemas.spec.ts). */
export interface ChatMessage {
  messageId: string;
  conversationId: string;
  fromUser: string;
  toUser: string;
  content: string;
  /** ms since epoch */
  sentAt: number;
  clientMessageId: string | null;
}

export interface PartitionRate {
  partition: number;
  perMinute: number;
}

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

/** TypeScript shape of `avro/metrics-snapshot.avsc` (kept equal by schemas.spec.ts). */
export interface MetricsSnapshot {
  leaderId: string;
  epoch: number;
  /** ms since epoch */
  generatedAt: number;
  windowSeconds: number;
  messagesPerMinute: number;
  messagesPerMinuteByPartition: PartitionRate[];
  activeConversations: number;
  activeUsers: number;
  consumerLag: PartitionLag[];
  dlqDepth: number;
}
