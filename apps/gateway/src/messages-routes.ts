import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Counter, Histogram } from 'prom-client';
import { decodeCursor, InvalidCursorError, isMongoUnavailable, type MessageRepository } from '@wiber/mongo';
import { currentCorrelationId, newCorrelationId } from '@wiber/observability';
import { conversationIdOf, SchemaValidationError, type ChatMessage } from '@wiber/schema';
import { callerOf, forbidden } from './auth';
import type { IdempotencyCache } from './idempotency-cache';
import { messageIdFor, requestFingerprint } from './message-identity';
import { toMessageJson } from './message-json';
import { PublishUnavailableError, type MessagePublisher } from './message-publisher';
import { badRequest, HttpProblem, serviceUnavailable } from './problem';
import { IdempotencyKeyError, idempotencyKeyOf, isSendMessageRequest, sendMessageProblems, userIdProblems } from './validation';

export interface GatewayMetrics {
  accepted: Counter;
  produceDuration: Histogram;
}

export interface MessagesDeps {
  publisher: MessagePublisher;
  repository: MessageRepository;
  idempotency: IdempotencyCache;
  maxContentBytes: number;
  readTimeoutMs: number;
  metrics: GatewayMetrics;
  now?: () => number;
}

type Handler = (req: Request, res: Response) => Promise<void>;

/** Express 5 forwards rejected promises to the error handler; this keeps handlers typed. */
const route = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => handler(req, res).catch(next);

export function messagesRouter(deps: MessagesDeps, bodyLimitBytes: number): Router {
  const router = Router();
  const now = deps.now ?? Date.now;

  router.post(
    '/',
    requireJson,
    express.json({ limit: bodyLimitBytes, strict: true, type: () => true }),
    route(async (req, res) => {
      const body: unknown = req.body;
      const problems = sendMessageProblems(body, deps.maxContentBytes);
      if (problems.length > 0 || !isSendMessageRequest(body)) {
        throw badRequest('the message is not valid; see errors', problems);
      }
      const caller = callerOf(res);
      if (caller !== undefined && caller.subject !== body.fromUser) {
        throw forbidden(`fromUser must be the authenticated user (${caller.subject})`);
      }
      let key: string | undefined;
      try {
        key = idempotencyKeyOf(req.get('idempotency-key'), body);
      } catch (error) {
        if (error instanceof IdempotencyKeyError) throw badRequest(error.message, [{ pointer: 'Idempotency-Key', detail: error.message }]);
        throw error;
      }
      // only keyed sends are remembered, so only they need the fingerprint (a hash of the whole content)
      const cacheKey = key === undefined ? undefined : `${body.fromUser}\n${key}`;
      const fingerprint = cacheKey === undefined ? undefined : requestFingerprint(body.fromUser, body.toUser, body.content);
      const remembered = cacheKey === undefined ? undefined : deps.idempotency.get(cacheKey);
      if (remembered !== undefined) {
        if (remembered.fingerprint !== fingerprint) {
          throw new HttpProblem(422, 'Idempotency key reused', 'this idempotency key was already used for a different message');
        }
        sendAccepted(res, { messageId: remembered.messageId, conversationId: remembered.conversationId, timestamp: remembered.timestamp });
        return;
      }

      const message: ChatMessage = {
        messageId: messageIdFor(body.fromUser, key),
        conversationId: conversationIdOf(body.fromUser, body.toUser),
        fromUser: body.fromUser,
        toUser: body.toUser,
        content: body.content,
        sentAt: now(),
        clientMessageId: key ?? null,
      };
      const stop = deps.metrics.produceDuration.startTimer();
      try {
        await deps.publisher.publish(message, currentCorrelationId() ?? newCorrelationId());
        stop({ outcome: 'acknowledged' });
      } catch (error) {
        stop({ outcome: 'failed' });
        if (error instanceof PublishUnavailableError) throw serviceUnavailable(error.message);
        if (error instanceof SchemaValidationError) throw badRequest(error.message);
        throw error;
      }
      deps.metrics.accepted.inc();
      const accepted = { messageId: message.messageId, conversationId: message.conversationId, timestamp: message.sentAt };
      if (cacheKey !== undefined && fingerprint !== undefined) deps.idempotency.set(cacheKey, { fingerprint, ...accepted });
      // user ids match USER_ID_PATTERN ([A-Za-z0-9_.-]), so the path needs no encoding
      sendAccepted(res, accepted, `/messages/${body.fromUser}/${body.toUser}`);
    }),
  );

  router.get(
    '/count',
    route(async (_req, res) => {
      const count = await readMongo(deps.readTimeoutMs, () => deps.repository.count());
      res.json({ count });
    }),
  );

  router.get(
    '/:user1/:user2',
    route(async (req, res) => {
      const user1 = String(req.params['user1']);
      const user2 = String(req.params['user2']);
      const problems = userIdProblems({ user1, user2 });
      if (problems.length > 0) throw badRequest('invalid user id in the path', problems);
      const caller = callerOf(res);
      if (caller !== undefined && caller.subject !== user1 && caller.subject !== user2) {
        throw forbidden('only the two participants may read a conversation');
      }
      const query = pageQuery(req.query);
      const conversationId = conversationIdOf(user1, user2);
      const repository = deps.repository;
      const page = await readMongo(deps.readTimeoutMs, () =>
        query.cursor !== undefined
          ? repository.pageAfter(conversationId, query.cursor, query.limit)
          : repository.pageByOffset(conversationId, query.offset, query.limit),
      );
      res.json({
        conversationId,
        messages: page.messages.map(toMessageJson),
        limit: query.limit,
        ...(query.cursor === undefined ? { offset: query.offset } : {}),
        nextCursor: page.nextCursor,
      });
    }),
  );

  return router;
}

/**
 * The 202 of a send, written directly: Express's res.json() also hashes the body for an ETag
 * and looks the content type up, which a POST answer does not need, on the hottest path.
 */
export function sendAccepted(res: Response, accepted: { messageId: string; conversationId: string; timestamp: number }, location?: string): void {
  const json = JSON.stringify(accepted);
  res.statusCode = 202;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  if (location !== undefined) res.setHeader('Location', location);
  res.end(json);
}

function requireJson(req: Request, _res: Response, next: NextFunction): void {
  if (!req.is('application/json')) {
    next(new HttpProblem(415, 'Unsupported media type', `Content-Type must be application/json (got ${req.get('content-type') ?? 'none'})`));
    return;
  }
  next();
}

interface PageQuery {
  limit: number;
  offset: number;
  cursor: ReturnType<typeof decodeCursor> | undefined;
}

const QUERY_KEYS = new Set(['limit', 'offset', 'cursor']);

export function pageQuery(query: Request['query']): PageQuery {
  const errors = Object.keys(query)
    .filter((key) => !QUERY_KEYS.has(key))
    .map((key) => ({ pointer: key, detail: 'is not a known query parameter (limit, offset, cursor)' }));
  const single = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      errors.push({ pointer: name, detail: 'must be given once' });
      return undefined;
    }
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = single(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      errors.push({ pointer: name, detail: `must be a whole number from ${min} to ${max}` });
      return fallback;
    }
    return Number(raw);
  };
  const limit = integer('limit', 50, 1, 200);
  const offset = integer('offset', 0, 0, 100_000);
  const rawCursor = single('cursor');
  let cursor: PageQuery['cursor'];
  if (rawCursor !== undefined) {
    if (query['offset'] !== undefined) errors.push({ pointer: 'cursor', detail: 'cannot be combined with offset' });
    try {
      cursor = decodeCursor(rawCursor);
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      errors.push({ pointer: 'cursor', detail: error.message });
    }
  }
  if (errors.length > 0) throw badRequest('invalid query parameters', errors);
  return { limit, offset, cursor };
}

/** Bounded Mongo reads: unavailable or too slow is a 503, never a hang. */
async function readMongo<T>(timeoutMs: number, read: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(serviceUnavailable(`MongoDB did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([read(), timeout]);
  } catch (error) {
    if (isMongoUnavailable(error)) throw serviceUnavailable(`MongoDB is unavailable: ${(error as Error).message}`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
