import { expectPassed, runShortScenario, SHORT_SCENARIO_TIMEOUT_MS } from './support/short-scenario';

describe('chaos (short): Mongo (FerretDB) stopped, then started', () => {
  it('loses nothing acknowledged, stores nothing twice, and recovers by itself', async () => {
    const result = await runShortScenario('mongo-stop');
    expectPassed(result);
  }, SHORT_SCENARIO_TIMEOUT_MS);
});
