import { expectPassed, runShortScenario, SHORT_SCENARIO_TIMEOUT_MS } from './support/short-scenario';

describe('chaos (short): the gateway killed with kill -9 with requests in flight; the client retries on a second gateway', () => {
  it('loses nothing acknowledged, stores nothing twice, and recovers by itself', async () => {
    const result = await runShortScenario('gateway-kill');
    expectPassed(result);
  }, SHORT_SCENARIO_TIMEOUT_MS);
});
