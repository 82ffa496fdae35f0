import { expectPassed, runShortScenario, SHORT_SCENARIO_TIMEOUT_MS } from './support/short-scenario';

describe('chaos (short): one of two ingest-consumers killed with kill -9 while batches flow', () => {
  it('loses nothing acknowledged, stores nothing twice, and recovers by itself', async () => {
    const result = await runShortScenario('ingest-kill');
    expectPassed(result);
  }, SHORT_SCENARIO_TIMEOUT_MS);
});
