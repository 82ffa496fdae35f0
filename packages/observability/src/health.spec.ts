import { runHealthChecks } from './health';

describe('runHealthChecks', () => {
  it('is up only when every check is up', async () => {
    const report = await runHealthChecks({ a: async () => 'fine', b: async () => undefined });
    expect(report.status).toBe('up');
    expect(report.checks['a']).toMatchObject({ status: 'up', detail: 'fine' });
  });

  it('reports a failing check with its error and a hung one as timed out', async () => {
    const report = await runHealthChecks(
      {
        broken: async () => {
          throw new Error('connection refused');
        },
        hung: () => new Promise(() => undefined),
      },
      50,
    );
    expect(report.status).toBe('down');
    expect(report.checks['broken']).toMatchObject({ status: 'down', detail: 'connection refused' });
    expect(report.checks['hung']).toMatchObject({ status: 'down', detail: 'timed out after 50 ms' });
  });
});
