import { RateLimiter } from './rate-limiter';

function clock() {
  const state = { now: 0, heartbeats: 0, slept: [] as number[] };
  return {
    state,
    now: () => state.now,
    pause: async (ms: number) => {
      state.slept.push(ms);
      state.now += ms;
    },
    heartbeat: async () => {
      state.heartbeats += 1;
    },
  };
}

describe('RateLimiter', () => {
  it('never waits without a rate', async () => {
    const c = clock();
    const limiter = new RateLimiter(undefined, c.now, c.pause);
    for (let i = 0; i < 5; i += 1) expect(await limiter.wait(c.heartbeat, new AbortController().signal)).toBe(true);
    expect(c.state.slept).toEqual([]);
  });

  it('spaces sends 1/rate apart, the first at once, heartbeating at least every second', async () => {
    const c = clock();
    const limiter = new RateLimiter(0.4, c.now, c.pause);
    const signal = new AbortController().signal;
    await limiter.wait(c.heartbeat, signal);
    expect(c.state.now).toBe(0);
    await limiter.wait(c.heartbeat, signal);
    expect(c.state.now).toBe(2_500);
    expect(c.state.slept).toEqual([1_000, 1_000, 500]);
    expect(c.state.heartbeats).toBe(3);
  });

  it('does not save up unused time into a burst', async () => {
    const c = clock();
    const limiter = new RateLimiter(10, c.now, c.pause);
    const signal = new AbortController().signal;
    await limiter.wait(c.heartbeat, signal);
    c.state.now += 5_000;
    await limiter.wait(c.heartbeat, signal);
    await limiter.wait(c.heartbeat, signal);
    expect(c.state.slept).toEqual([100]);
  });

  it('stops waiting when aborted', async () => {
    const c = clock();
    const limiter = new RateLimiter(0.1, c.now, c.pause);
    const controller = new AbortController();
    await limiter.wait(c.heartbeat, controller.signal);
    const waiting = limiter.wait(async () => controller.abort(), controller.signal);
    expect(await waiting).toBe(false);
    expect(c.state.slept).toEqual([1_000]);
  });
});
