import { ConfigError } from '@wiber/config';
import { loadGatewayConfig } from './config';

describe('loadGatewayConfig', () => {
  it('has local defaults: port 8000, 64 KiB content, no auth', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({ port: 8000, host: '127.0.0.1', maxContentBytes: 65536, auth: { mode: 'none' }, produceTimeoutMs: 5000 });
    expect(config.bodyLimitBytes).toBeGreaterThan(config.maxContentBytes);
  });

  it('keeps idle keep-alive connections 65 s by default (above common client and load-balancer idle timeouts)', () => {
    expect(loadGatewayConfig({}).keepAliveTimeoutMs).toBe(65_000);
    expect(loadGatewayConfig({ KEEP_ALIVE_TIMEOUT_MS: '120000' }).keepAliveTimeoutMs).toBe(120_000);
    expect(() => loadGatewayConfig({ KEEP_ALIVE_TIMEOUT_MS: '0' })).toThrow(/KEEP_ALIVE_TIMEOUT_MS/);
  });

  it('requires a secret or JWKS URL for AUTH_MODE=jwt, naming the variable', () => {
    expect(() => loadGatewayConfig({ AUTH_MODE: 'jwt' })).toThrow(/JWT_SECRET/);
    expect(() => loadGatewayConfig({ AUTH_MODE: 'jwt', JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
    expect(loadGatewayConfig({ AUTH_MODE: 'jwt', JWT_SECRET: 's'.repeat(32) }).auth).toEqual({ mode: 'jwt', secret: 's'.repeat(32) });
    expect(loadGatewayConfig({ AUTH_MODE: 'jwt', JWT_JWKS_URL: 'https://idp.example/jwks.json' }).auth).toMatchObject({ jwksUrl: 'https://idp.example/jwks.json' });
  });

  it('batches produces by default (linger 0, 500 records, 512 KiB) and reads PRODUCE_* overrides', () => {
    expect(loadGatewayConfig({}).batching).toEqual({ lingerMs: 0, maxBatchCount: 500, maxBatchBytes: 524288 });
    expect(loadGatewayConfig({ PRODUCE_LINGER_MS: '5', PRODUCE_MAX_BATCH: '1', PRODUCE_MAX_BATCH_BYTES: '65536' }).batching).toEqual({
      lingerMs: 5,
      maxBatchCount: 1,
      maxBatchBytes: 65536,
    });
    expect(() => loadGatewayConfig({ PRODUCE_LINGER_MS: '5000' })).toThrow(/PRODUCE_LINGER_MS.*less than PRODUCE_TIMEOUT_MS/);
  });

  it('produces to wiber.messages unless GATEWAY_TOPIC names a private topic', () => {
    expect(loadGatewayConfig({}).topic).toBe('wiber.messages');
    expect(loadGatewayConfig({ GATEWAY_TOPIC: 'bench.x.gateway' }).topic).toBe('bench.x.gateway');
  });

  it.each([
    ['PRODUCE_LINGER_MS', '-1'],
    ['PRODUCE_MAX_BATCH', '0'],
    ['PRODUCE_MAX_BATCH_BYTES', '1.5'],
    ['AUTH_MODE', 'basic'],
    ['GATEWAY_PORT', '99999'],
    ['MAX_CONTENT_BYTES', '0'],
    ['PRODUCE_TIMEOUT_MS', 'fast'],
  ])('rejects %s=%s', (name, value) => {
    expect(() => loadGatewayConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
