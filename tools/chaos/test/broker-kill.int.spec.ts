import { expectPassed, runShortScenario, SHORT_SCENARIO_TIMEOUT_MS } from './support/short-scenario';

describe('chaos (short): a Kafka broker killed with kill -9 (the one leading most partitions) and restarted', () => {
  it('loses nothing acknowledged, stores nothing twice, and recovers by itself', async () => {
    const result = await runShortScenario('broker-kill');
    expectPassed(result);
  }, SHORT_SCENARIO_TIMEOUT_MS);
});
