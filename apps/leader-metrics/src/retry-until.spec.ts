import { retryUntil } from './retry-until';

describe('retryUntil', () => {
  it('retries until the operation succeeds', async () => {
    let attempts = 0;
    const retries: number[] = [];
    const result = await retryUntil(
      async () => {
        attempts += 1;
        if (attempts < 3) throw new Error('not yet');
        return 'ok';
      },
      { signal: new AbortController().signal, initialDelayMs: 1, onRetry: (_e, delay) => retries.push(delay) },
    );
    expect(result).toEqual({ value: 'ok' });
    expect(retries).toHaveLength(2);
  });

  it('gives up when aborted and rethrows what retrying cannot fix', async () => {
    const controller = new AbortController();
    const aborted = retryUntil(() => Promise.reject(new Error('down')), {
      signal: controller.signal,
      initialDelayMs: 10_000,
      onRetry: () => controller.abort(),
    });
    await expect(aborted).resolves.toBeUndefined();
    await expect(
      retryUntil(() => Promise.reject(new TypeError('bad')), {
        signal: new AbortController().signal,
        isRetryable: (e) => !(e instanceof TypeError),
        onRetry: () => undefined,
      }),
    ).rejects.toThrow(TypeError);
  });
});
