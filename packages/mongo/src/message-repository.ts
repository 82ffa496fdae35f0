import { MongoBulkWriteError, type Collection, type Db, type Filter } from 'mongodb';
import { encodeCursor, type PageCursor } from './cursor';
import type { MessageDocument } from './message-document';

export const MESSAGES_COLLECTION = 'messages';
const DUPLICATE_KEY = 11000;

export interface RejectedDocument {
  /** index in the batch passed to insertMany */
  index: number;
  code: number;
  message: string;
}

export interface BulkInsertResult {
  inserted: number;
  /** already stored (same messageId): a redelivery, counted as success */
  duplicates: number;
  /** refused by the server for the document itself (invalid, too large): retrying will not help */
  rejected: RejectedDocument[];
}

export interface ConversationPage {
  messages: MessageDocument[];
  /** present when more messages may follow; pass it back to get the next page */
  nextCursor: string | null;
}

const MESSAGE_INDEXES = [
  { key: { messageId: 1 }, name: 'messageId_unique', unique: true },
  { key: { conversationId: 1, sentAt: 1, messageId: 1 }, name: 'conversation_order' },
  { key: { sentAt: 1 }, name: 'sentAt' },
] as const;

/** One order for every reader and every page: time accepted, ties broken by id. */
const CONVERSATION_ORDER = { sentAt: 1, messageId: 1 } as const;

export class MessageRepository {
  private readonly collection: Collection<MessageDocument>;

  constructor(db: Db) {
    this.collection = db.collection<MessageDocument>(MESSAGES_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    // one index per command: FerretDB 1.24 (the local stack) drops the connection when one
    // createIndexes command names several indexes that all exist already
    for (const index of MESSAGE_INDEXES) await this.collection.createIndexes([index]);
  }

  /**
   * Unordered bulk insert: every document is attempted; a duplicate messageId is a
   * success (the message is stored), other per-document errors are returned, and
   * anything else (network, no primary, write concern) is thrown for the caller to retry.
   */
  async insertMany(documents: MessageDocument[]): Promise<BulkInsertResult> {
    if (documents.length === 0) return { inserted: 0, duplicates: 0, rejected: [] };
    try {
      const result = await this.collection.insertMany(documents, { ordered: false });
      return { inserted: result.insertedCount, duplicates: 0, rejected: [] };
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError) || error.writeConcernError !== undefined) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      if (writeErrors.length === 0) throw error;
      const duplicates = writeErrors.filter((e) => e.code === DUPLICATE_KEY).length;
      const rejected = writeErrors
        .filter((e) => e.code !== DUPLICATE_KEY)
        .map((e) => ({ index: e.index, code: e.code, message: e.errmsg ?? `error ${e.code}` }));
      return { inserted: documents.length - duplicates - rejected.length, duplicates, rejected };
    }
  }

  /** A page by offset (as in the original API); prefer cursors for stable paging. */
  async pageByOffset(conversationId: string, offset: number, limit: number): Promise<ConversationPage> {
    const messages = await this.collection
      .find({ conversationId }, { projection: { _id: 0 } })
      .sort(CONVERSATION_ORDER)
      .skip(offset)
      .limit(limit + 1)
      .toArray();
    return this.toPage(messages, limit);
  }

  /** The page after `after` (or the first page): never skips or repeats as messages arrive. */
  async pageAfter(conversationId: string, after: PageCursor | null, limit: number): Promise<ConversationPage> {
    const filter: Filter<MessageDocument> =
      after === null
        ? { conversationId }
        : {
            conversationId,
            $or: [
              { sentAt: { $gt: new Date(after.sentAt) } },
              { sentAt: new Date(after.sentAt), messageId: { $gt: after.messageId } },
            ],
          };
    const messages = await this.collection
      .find(filter, { projection: { _id: 0 } })
      .sort(CONVERSATION_ORDER)
      .limit(limit + 1)
      .toArray();
    return this.toPage(messages, limit);
  }

  async count(): Promise<number> {
    return this.collection.countDocuments({});
  }

  async countConversation(conversationId: string): Promise<number> {
    return this.collection.countDocuments({ conversationId });
  }

  private toPage(found: MessageDocument[], limit: number): ConversationPage {
    const messages = found.slice(0, limit);
    const last = messages[messages.length - 1];
    const nextCursor =
      found.length > limit && last !== undefined
        ? encodeCursor({ sentAt: last.sentAt.getTime(), messageId: last.messageId })
        : null;
    return { messages, nextCursor };
  }
}
