import { Semaphore } from './semaphore';

describe('Semaphore', () => {
  it('runs at most `permits` tasks at once, the rest in order, and survives failures', async () => {
    const semaphore = new Semaphore(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      order.push(i);
      if (i === 1) throw new Error('fails');
      return i;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => semaphore.use(task(i))));
    expect(most).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(order.slice(0, 2).sort()).toEqual([0, 1]);
    expect(await semaphore.use(async () => 'after')).toBe('after');
  });

  it('needs a permit', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
