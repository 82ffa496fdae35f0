import { acceptCorrelationId, currentCorrelationId, withCorrelationId } from './correlation';

describe('correlation ids', () => {
  it('keeps a safe caller id and replaces unsafe or missing ones', () => {
    expect(acceptCorrelationId('abc-123')).toBe('abc-123');
    expect(acceptCorrelationId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptCorrelationId('bad id\nwith newline')).toMatch(/^[0-9a-f-]{36}$/);
    expect(acceptCorrelationId('x'.repeat(129))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is visible across awaits inside withCorrelationId and not outside', async () => {
    const seen = await withCorrelationId('c-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentCorrelationId();
    });
    expect(seen).toBe('c-1');
    expect(currentCorrelationId()).toBeUndefined();
  });
});
