import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root (packages/testing/src -> ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const WIBER_HOME = process.env['WIBER_HOME'] ?? join(REPO_ROOT, '.wiber');

export const BROKERS = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094';
export const SCHEMA_REGISTRY_URL = process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
export const MONGO_URI = process.env['MONGO_URI'] ?? 'mongodb://127.0.0.1:27017';

/** A loopback port nothing listens on at the moment of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${suffix}`);
}


export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
