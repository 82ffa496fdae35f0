/** One stored chat message (collection `messages`). */
export interface MessageDocument {
  messageId: string;
  conversationId: string;
  fromUser: string;
  toUser: string;
  content: string;
  sentAt: Date;
  clientMessageId: string | null;
  /** where the message came from, for tracing and replays */
  kafka: { topic: string; partition: number; offset: string };
  storedAt: Date;
}
