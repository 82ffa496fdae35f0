/**
 * The OpenAPI document: the one source of the request and response shapes. Request
 * validation compiles its schemas (see validation.ts); /docs renders it.
 */
const userId = {
  type: 'string',
  pattern: '^[A-Za-z0-9_.-]{1,64}$',
  minLength: 1,
  maxLength: 64,
  description: 'Letters, digits, "_", "." and "-", 1 to 64 characters.',
  examples: ['alice'],
} as const;

const problem = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', examples: ['urn:wiber:problem:invalid-request'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['pointer', 'detail'],
        properties: { pointer: { type: 'string' }, detail: { type: 'string' } },
      },
    },
  },
} as const;

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Wiber gateway',
    version: '0.1.0',
    description:
      'Send chat messages and read conversations. Messages are accepted once Kafka has acknowledged them (acks=all) and become readable when the ingest consumer has stored them.',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: {
      UserId: userId,
      SendMessageRequest: {
        type: 'object',
        additionalProperties: false,
        required: ['fromUser', 'toUser', 'content'],
        properties: {
          fromUser: { $ref: '#/components/schemas/UserId' },
          toUser: { $ref: '#/components/schemas/UserId' },
          content: {
            type: 'string',
            minLength: 1,
            description: 'Message text; not blank, at most MAX_CONTENT_BYTES (default 65536) bytes of UTF-8.',
          },
          clientMessageId: {
            type: 'string',
            pattern: '^[\\x21-\\x7E]{1,128}$',
            description: 'Idempotency key (same as the Idempotency-Key header): a retry with the same key never stores a second message.',
          },
        },
      },
      MessageAccepted: {
        type: 'object',
        required: ['messageId', 'conversationId', 'timestamp'],
        properties: {
          messageId: { type: 'string', format: 'uuid' },
          conversationId: { type: 'string', examples: ['alice:bob'] },
          timestamp: { type: 'integer', description: 'When the gateway accepted it, ms since epoch' },
        },
      },
      Message: {
        type: 'object',
        required: ['messageId', 'conversationId', 'fromUser', 'toUser', 'content', 'timestamp', 'sentAt'],
        properties: {
          messageId: { type: 'string', format: 'uuid' },
          conversationId: { type: 'string' },
          fromUser: { type: 'string' },
          toUser: { type: 'string' },
          content: { type: 'string' },
          timestamp: { type: 'integer', description: 'ms since epoch' },
          sentAt: { type: 'string', format: 'date-time' },
          clientMessageId: { type: ['string', 'null'] },
        },
      },
      ConversationPage: {
        type: 'object',
        required: ['conversationId', 'messages', 'limit', 'nextCursor'],
        properties: {
          conversationId: { type: 'string' },
          messages: { type: 'array', items: { $ref: '#/components/schemas/Message' } },
          limit: { type: 'integer' },
          offset: { type: 'integer' },
          nextCursor: { type: ['string', 'null'], description: 'Pass as ?cursor= for the next page; null on the last page.' },
        },
      },
      Problem: problem,
    },
  },
  paths: {
    '/messages': {
      post: {
        summary: 'Send a message',
        operationId: 'sendMessage',
        security: [{}, { bearer: [] }],
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', pattern: '^[\\x21-\\x7E]{1,128}$' },
            description: 'A retried request with the same key returns the same messageId and stores nothing new.',
          },
          { name: 'X-Request-Id', in: 'header', required: false, schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/SendMessageRequest' } } },
        },
        responses: {
          '202': {
            description: 'Accepted: written to Kafka and acknowledged by all in-sync replicas',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/MessageAccepted' } } },
          },
          '400': problemResponse('Malformed JSON or invalid fields'),
          '401': problemResponse('Missing or invalid bearer token (AUTH_MODE=jwt)'),
          '403': problemResponse('fromUser is not the token subject'),
          '413': problemResponse('Body too large'),
          '415': problemResponse('Content-Type is not application/json'),
          '422': problemResponse('Idempotency key reused with a different request'),
          '503': problemResponse('Kafka or the Schema Registry is unavailable; retry after Retry-After seconds'),
        },
      },
    },
    '/messages/count': {
      get: {
        summary: 'Number of stored messages',
        operationId: 'countMessages',
        responses: {
          '200': {
            description: 'Count',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } },
              },
            },
          },
          '503': problemResponse('MongoDB is unavailable'),
        },
      },
    },
    '/messages/{user1}/{user2}': {
      get: {
        summary: 'Read a conversation (both directions, oldest first)',
        operationId: 'readConversation',
        security: [{}, { bearer: [] }],
        parameters: [
          { name: 'user1', in: 'path', required: true, schema: { $ref: '#/components/schemas/UserId' } },
          { name: 'user2', in: 'path', required: true, schema: { $ref: '#/components/schemas/UserId' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 100000, default: 0 } },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string', maxLength: 512 },
            description: 'nextCursor of the previous page; stable while new messages arrive. Not combinable with offset.',
          },
        ],
        responses: {
          '200': {
            description: 'A page of the conversation',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ConversationPage' } } },
          },
          '400': problemResponse('Invalid user id, limit, offset or cursor'),
          '401': problemResponse('Missing or invalid bearer token (AUTH_MODE=jwt)'),
          '403': problemResponse('The caller is not a participant'),
          '503': problemResponse('MongoDB is unavailable'),
        },
      },
    },
    '/health/liveness': { get: { summary: 'The process answers', responses: { '200': { description: 'Alive' } } } },
    '/health/readiness': {
      get: {
        summary: 'Kafka, the Schema Registry and MongoDB are reachable',
        responses: { '200': { description: 'Ready' }, '503': { description: 'A dependency is down (see checks)' } },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' } } } },
    '/stats': {
      get: {
        summary: "The elected leader's latest system metrics (MetricsSnapshot from wiber.metrics)",
        description: 'Snapshots from a leader whose epoch is lower than one already seen are ignored, so a deposed leader cannot overwrite a newer one.',
        responses: {
          '200': { description: 'messagesPerMinute (total and by partition), activeConversations, activeUsers, consumerLag, dlqDepth, leaderId, epoch, generatedAt, ageSeconds' },
          '503': problemResponse('No snapshot received yet (leader-metrics not running, or Kafka unavailable)'),
        },
      },
    },
  },
} as const;

/** Every path template with its methods, for 405 answers (Express style `:param`). */
export const ROUTES: readonly { path: string; methods: readonly string[] }[] = [
  { path: '/messages', methods: ['POST'] },
  { path: '/messages/count', methods: ['GET'] },
  { path: '/messages/:user1/:user2', methods: ['GET'] },
  { path: '/health/liveness', methods: ['GET'] },
  { path: '/health/readiness', methods: ['GET'] },
  { path: '/metrics', methods: ['GET'] },
  { path: '/stats', methods: ['GET'] },
  { path: '/openapi.json', methods: ['GET'] },
];
