import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 1_000 };

  it('opens after the configured number of consecutive failures and closes on the next success', () => {
    const events: string[] = [];
    const breaker = new CircuitBreaker({
      policy,
      openAfter: 3,
      random: () => 1,
      onOpen: (failures) => events.push(`open after ${failures}`),
      onClose: () => events.push('closed'),
    });
    expect(breaker.recordFailure(0)).toBe(100);
    expect(breaker.recordFailure(0)).toBe(200);
    expect(breaker.isOpen).toBe(false);
    expect(breaker.recordFailure(0)).toBe(400);
    expect(breaker.isOpen).toBe(true);
    breaker.recordFailure(0);
    expect(events).toEqual(['open after 3']);
    breaker.recordSuccess();
    expect(breaker.isOpen).toBe(false);
    expect(breaker.waitMs(0)).toBe(0);
    expect(events).toEqual(['open after 3', 'closed']);
  });

  it('makes every caller wait until the backoff of the latest failure has passed', () => {
    const breaker = new CircuitBreaker({ policy, openAfter: 1, random: () => 1 });
    expect(breaker.waitMs(1_000)).toBe(0);
    breaker.recordFailure(1_000);
    expect(breaker.waitMs(1_000)).toBe(100);
    expect(breaker.waitMs(1_060)).toBe(40);
    expect(breaker.waitMs(1_100)).toBe(0);
  });

  it('does not report a close when it was never open', () => {
    const onClose = jest.fn();
    const breaker = new CircuitBreaker({ policy, openAfter: 2, onClose });
    breaker.recordFailure(0);
    breaker.recordSuccess();
    expect(onClose).not.toHaveBeenCalled();
  });
});
