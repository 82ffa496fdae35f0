import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { loadKafkaConfig } from '@wiber/kafka';
import { loadMongoConfig } from '@wiber/mongo';
import { createLogger } from '@wiber/observability';
import { MONGO_URI } from '@wiber/testing';
import { MongoClient } from 'mongodb';
import { loadGatewayConfig } from '../../src/config';
import { startGateway, type RunningGateway } from '../../src/gateway';

/** A gateway wired exactly as main.ts does, on a free port, configured from `env`. */
export async function startTestGateway(env: Record<string, string>): Promise<RunningGateway & { logs: string[] }> {
  const full = { LOG_LEVEL: 'warn', ...env };
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const gateway = await startGateway({
    gateway: { ...loadGatewayConfig(full), port: 0 },
    kafka: loadKafkaConfig('gateway-test', full),
    mongo: loadMongoConfig('gateway-test', full),
    logger: createLogger({ service: 'gateway', instance: `test-${randomUUID().slice(0, 6)}`, level: 'warn', stream }),
    instance: 'test',
  });
  return Object.assign(gateway, { logs });
}

export function uniqueUser(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

export async function postMessage(
  base: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${base}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

/** A database name only this test file uses; drop it with dropTestDatabase in afterAll. */
export function testDatabase(label: string): string {
  return `wiber_test_${label}_${randomUUID().slice(0, 8)}`;
}

export async function dropTestDatabase(name: string): Promise<void> {
  const client = new MongoClient(MONGO_URI, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db(name).dropDatabase();
  } finally {
    await client.close();
  }
}
