import { CircuitBreaker } from './circuit-breaker';
import { interruptibleSleep, OperationTimeoutError, retryWhileRunning, withTimeout } from './retry';

describe('retryWhileRunning', () => {
  const breaker = (): CircuitBreaker => new CircuitBreaker({ policy: { initialDelayMs: 10, maxDelayMs: 40 }, openAfter: 3, random: () => 1 });

  it('rethrows at once an error that is not retryable', async () => {
    const operation = jest.fn(async () => {
      throw new Error('fatal');
    });
    await expect(
      retryWhileRunning(operation, { breaker: breaker(), shouldContinue: () => true, pause: async () => true, isRetryable: () => false }),
    ).rejects.toThrow('fatal');
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('stops without completing when the pause is interrupted', async () => {
    const outcome = await retryWhileRunning(
      async () => {
        throw new Error('down');
      },
      { breaker: breaker(), shouldContinue: () => true, pause: async () => false },
    );
    expect(outcome).toEqual({ completed: false });
  });

  it('does not start at all when it should not continue', async () => {
    const operation = jest.fn(async () => 1);
    expect(await retryWhileRunning(operation, { breaker: breaker(), shouldContinue: () => false, pause: async () => true })).toEqual({
      completed: false,
    });
    expect(operation).not.toHaveBeenCalled();
  });
});

describe('withTimeout and interruptibleSleep', () => {
  it('rejects with OperationTimeoutError when the promise takes too long', async () => {
    await expect(withTimeout(new Promise(() => undefined), 10, 'insert')).rejects.toThrow(OperationTimeoutError);
    await expect(withTimeout(Promise.resolve(5), 1_000, 'insert')).resolves.toBe(5);
  });

  it('returns false soon after the signal is aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    expect(await interruptibleSleep(10_000, controller.signal, 10)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await interruptibleSleep(5, new AbortController().signal)).toBe(true);
  });
});
