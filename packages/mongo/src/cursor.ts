/** Position after a message in the conversation order (sentAt, then messageId). */
export interface PageCursor {
  sentAt: number;
  messageId: string;
}

/** Thrown for a cursor that was not produced by encodeCursor (the client's mistake). */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not valid: pass back the nextCursor of a previous page unchanged');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.sentAt, cursor.messageId]), 'utf8').toString('base64url');
}

export function decodeCursor(token: string): PageCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      parsed[1].length > 0
    ) {
      return { sentAt: parsed[0] as number, messageId: parsed[1] };
    }
  } catch {
    // fall through: any undecodable token is the same client error
  }
  throw new InvalidCursorError();
}
