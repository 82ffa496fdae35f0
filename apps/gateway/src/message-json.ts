import type { MessageDocument } from '@wiber/mongo';

/** A stored message as the API shows it. */
export interface MessageJson {
  messageId: string;
  conversationId: string;
  fromUser: string;
  toUser: string;
  content: string;
  timestamp: number;
  sentAt: string;
  clientMessageId: string | null;
}

export function toMessageJson(doc: MessageDocument): MessageJson {
  return {
    messageId: doc.messageId,
    conversationId: doc.conversationId,
    fromUser: doc.fromUser,
    toUser: doc.toUser,
    content: doc.content,
    timestamp: doc.sentAt.getTime(),
    sentAt: doc.sentAt.toISOString(),
    clientMessageId: doc.clientMessageId,
  };
}
