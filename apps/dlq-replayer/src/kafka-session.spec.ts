import { CliError, EXIT } from './exit-codes';
import { withinTimeout } from './kafka-session';
import { loadSettings } from './settings';

describe('withinTimeout', () => {
  const settings = { ...loadSettings({ timeout: 1 }, undefined, { KAFKA_BROKERS: 'k1:9092' }), timeoutMs: 50 };

  it('passes a result through', async () => {
    await expect(withinTimeout(settings, 'listing', Promise.resolve(7))).resolves.toBe(7);
  });

  it('gives up on an unanswered call with one line naming the brokers and exit 69', async () => {
    const error = await withinTimeout(settings, 'connecting', new Promise(() => undefined)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: EXIT.unavailable, message: 'connecting: no answer from Kafka at k1:9092 within 0.05 s' });
  });
});
