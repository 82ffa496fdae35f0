import { createServer } from 'node:net';
import { freePort, waitFor } from './environment';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    await expect(waitFor('the third call', async () => (++calls >= 3 ? calls : undefined), 2000, 5)).resolves.toBe(3);
  });

  it('times out naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        'a broken probe',
        async () => {
          throw new Error('boom');
        },
        50,
        10,
      ),
    ).rejects.toThrow('timed out after 50 ms waiting for a broken probe (last error: boom)');
  });
});

describe('freePort', () => {
  it('returns a loopback port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
    expect(port).toBeGreaterThan(0);
  });
});
