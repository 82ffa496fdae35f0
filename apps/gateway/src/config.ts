import { ConfigError, positiveInt, port, readEnv, str, url } from '@wiber/config';
import { parseLogLevel, type LogLevel } from '@wiber/observability';

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
  auth: AuthConfig;
  logLevel: LogLevel;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = readEnv(
    {
      GATEWAY_HOST: str({ default: '127.0.0.1' }),
      GATEWAY_PORT: port({ default: 8000 }),
      MAX_CONTENT_BYTES: positiveInt({ default: 64 * 1024 }),
      BODY_LIMIT_BYTES: positiveInt({ default: undefined }),
      PRODUCE_TIMEOUT_MS: positiveInt({ default: 5000 }),
      READ_TIMEOUT_MS: positiveInt({ default: 3000 }),
      AUTH_MODE: str({ choices: ['none', 'jwt'], default: 'none' }),
      JWT_SECRET: str({ default: '' }),
      JWT_JWKS_URL: url({ default: undefined }),
      JWT_ISSUER: str({ default: '' }),
      JWT_AUDIENCE: str({ default: '' }),
      LOG_LEVEL: str({ default: 'info' }),
    },
    env,
  );
  const maxContentBytes = parsed.MAX_CONTENT_BYTES;
  return {
    host: parsed.GATEWAY_HOST,
    port: parsed.GATEWAY_PORT,
    maxContentBytes,
    // JSON escaping can grow content up to 6x (\uXXXX); leave room for the other fields
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES ?? maxContentBytes * 6 + 4096,
    produceTimeoutMs: parsed.PRODUCE_TIMEOUT_MS,
    readTimeoutMs: parsed.READ_TIMEOUT_MS,
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
