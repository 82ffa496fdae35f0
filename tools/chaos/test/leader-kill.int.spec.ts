import { SHORT_TIMINGS } from '../src/timings';
import { expectPassed, runShortScenario, SHORT_SCENARIO_TIMEOUT_MS } from './support/short-scenario';

describe('chaos (short): the leader-metrics leader killed with kill -9 (3 instances)', () => {
  it('loses nothing acknowledged, stores nothing twice, and recovers by itself', async () => {
    const result = await runShortScenario('leader-kill');
    expectPassed(result);
    // kill -9 failover happens within the session timeout plus a margin
    expect(result.recoveryMs).toBeLessThan((SHORT_TIMINGS.leaderSessionTimeoutMs ?? 10_000) + 5_000);
  }, SHORT_SCENARIO_TIMEOUT_MS);
});
