import { PassThrough } from 'node:stream';
import { createLogger, parseLogLevel } from './logger';
import { withCorrelationId } from './correlation';

function capture(): { stream: PassThrough; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with service, instance, level, timestamp and message', async () => {
    const out = capture();
    const logger = createLogger({ service: 'gateway', instance: 'gw-1', stream: out.stream });
    logger.info('started', { port: 8000 });
    await new Promise((resolve) => setImmediate(resolve));
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'info', message: 'started', service: 'gateway', instance: 'gw-1', port: 8000 });
    expect(typeof line?.['timestamp']).toBe('string');
    expect(line?.['correlationId']).toBeUndefined();
  });

  it('adds the current correlation id', async () => {
    const out = capture();
    const logger = createLogger({ service: 'gateway', stream: out.stream });
    withCorrelationId('req-42', () => logger.warn('slow'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.lines()[0]).toMatchObject({ message: 'slow', correlationId: 'req-42' });
  });

  it('respects the level', async () => {
    const out = capture();
    const logger = createLogger({ service: 's', level: 'warn', stream: out.stream });
    logger.info('hidden');
    logger.error('shown');
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.lines().map((l) => l['message'])).toEqual(['shown']);
  });
});

describe('parseLogLevel', () => {
  it('defaults to info and rejects unknown levels naming the variable', () => {
    expect(parseLogLevel(undefined)).toBe('info');
    expect(parseLogLevel('debug')).toBe('debug');
    expect(() => parseLogLevel('verbose')).toThrow(/LOG_LEVEL/);
  });
});
