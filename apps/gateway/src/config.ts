import { ConfigError, EnvError, httpUrl, makeValidator, positiveInt, port, readEnv, str, topicName } from '@wiber/config';
import { TOPICS } from '@wiber/kafka';
import { parseLogLevel, type LogLevel } from '@wiber/observability';
import type { BatchLimits } from './produce-batcher';

export type AuthConfig =
  | { mode: 'none' }
  | { mode: 'jwt'; secret?: string; jwksUrl?: string; issuer?: string; audience?: string };

export interface GatewayConfig {
  host: string;
  port: number;
  /** largest message content, in bytes of UTF-8 */
  maxContentBytes: number;
  /** largest request body; larger bodies get 413 before they are parsed */
  bodyLimitBytes: number;
  /** how long POST /messages waits for Kafka's acknowledgement before answering 503 */
  produceTimeoutMs: number;
  /** how long a read waits for Mongo before answering 503 */
  readTimeoutMs: number;
  /**
   * how long an idle keep-alive connection stays open; longer than clients' and load balancers'
   * idle timeouts, so the gateway never closes a socket a client is just reusing
   */
  keepAliveTimeoutMs: number;
  /** how records of concurrent requests are batched into one send per partition */
  batching: BatchLimits;
  /** the topic messages are produced to: wiber.messages, or a private one for tests and benchmarks */
  topic: string;
  auth: AuthConfig;
  logLevel: LogLevel;
}

/** An integer >= 0 (a linger of 0 still gathers the records of one event-loop turn). */
const nonNegativeInt = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(String(input).trim()) || !Number.isSafeInteger(value)) throw new EnvError('must be a whole number of at least 0');
  return value;
});

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = readEnv(
    {
      GATEWAY_HOST: str({ default: '127.0.0.1' }),
      GATEWAY_PORT: port({ default: 8000 }),
      MAX_CONTENT_BYTES: positiveInt({ default: 64 * 1024 }),
      BODY_LIMIT_BYTES: positiveInt({ default: undefined }),
      PRODUCE_TIMEOUT_MS: positiveInt({ default: 5000 }),
      KEEP_ALIVE_TIMEOUT_MS: positiveInt({ default: 65_000 }),
      READ_TIMEOUT_MS: positiveInt({ default: 3000 }),
      PRODUCE_LINGER_MS: nonNegativeInt({ default: 0 }),
      PRODUCE_MAX_BATCH: positiveInt({ default: 500 }),
      // below the broker's default max.message.bytes (1 MiB); lowered further to the topic's setting at start
      PRODUCE_MAX_BATCH_BYTES: positiveInt({ default: 512 * 1024 }),
      GATEWAY_TOPIC: topicName({ default: TOPICS.messages }),
      AUTH_MODE: str({ choices: ['none', 'jwt'], default: 'none' }),
      JWT_SECRET: str({ default: '' }),
      JWT_JWKS_URL: httpUrl({ default: undefined }),
      JWT_ISSUER: str({ default: '' }),
      JWT_AUDIENCE: str({ default: '' }),
      LOG_LEVEL: str({ default: 'info' }),
    },
    env,
  );
  const maxContentBytes = parsed.MAX_CONTENT_BYTES;
  if (parsed.PRODUCE_LINGER_MS >= parsed.PRODUCE_TIMEOUT_MS) {
    throw new ConfigError({ PRODUCE_LINGER_MS: `must be less than PRODUCE_TIMEOUT_MS (${parsed.PRODUCE_TIMEOUT_MS})` });
  }
  return {
    host: parsed.GATEWAY_HOST,
    port: parsed.GATEWAY_PORT,
    maxContentBytes,
    // JSON escaping can grow content up to 6x (\uXXXX); leave room for the other fields
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES ?? maxContentBytes * 6 + 4096,
    produceTimeoutMs: parsed.PRODUCE_TIMEOUT_MS,
    readTimeoutMs: parsed.READ_TIMEOUT_MS,
    keepAliveTimeoutMs: parsed.KEEP_ALIVE_TIMEOUT_MS,
    topic: parsed.GATEWAY_TOPIC,
    batching: { lingerMs: parsed.PRODUCE_LINGER_MS, maxBatchCount: parsed.PRODUCE_MAX_BATCH, maxBatchBytes: parsed.PRODUCE_MAX_BATCH_BYTES },
    auth: authConfig(parsed),
    logLevel: parseLogLevel(parsed.LOG_LEVEL),
  };
}

function authConfig(parsed: {
  AUTH_MODE: string;
  JWT_SECRET: string;
  JWT_JWKS_URL: string | undefined;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}): AuthConfig {
  if (parsed.AUTH_MODE === 'none') return { mode: 'none' };
  if (parsed.JWT_SECRET === '' && parsed.JWT_JWKS_URL === undefined) {
    throw new ConfigError({ JWT_SECRET: 'or JWT_JWKS_URL is required when AUTH_MODE=jwt' });
  }
  if (parsed.JWT_SECRET !== '' && Buffer.byteLength(parsed.JWT_SECRET) < 32) {
    throw new ConfigError({ JWT_SECRET: 'must be at least 32 bytes for HS256' });
  }
  return {
    mode: 'jwt',
    ...(parsed.JWT_SECRET !== '' ? { secret: parsed.JWT_SECRET } : {}),
    ...(parsed.JWT_JWKS_URL !== undefined ? { jwksUrl: parsed.JWT_JWKS_URL } : {}),
    ...(parsed.JWT_ISSUER !== '' ? { issuer: parsed.JWT_ISSUER } : {}),
    ...(parsed.JWT_AUDIENCE !== '' ? { audience: parsed.JWT_AUDIENCE } : {}),
  };
}
