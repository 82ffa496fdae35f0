import { expectPassed, runShortScenario, SHORT_SCENARIO_TIMEOUT_MS } from './support/short-scenario';

describe('chaos (short): a Kafka broker frozen with SIGSTOP, then SIGCONT', () => {
  it('loses nothing acknowledged, stores nothing twice, and recovers by itself', async () => {
    const result = await runShortScenario('broker-freeze');
    expectPassed(result);
  }, SHORT_SCENARIO_TIMEOUT_MS);
});
