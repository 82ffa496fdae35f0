import { parseTargets, prometheusConfig, SCRAPE_JOBS } from './prometheus';

describe('prometheus component', () => {
  it('scrapes every app metrics port from the design and itself', () => {
    const targets = SCRAPE_JOBS.flatMap((job) => job.targets);
    for (const port of [9090, 8000, 9101, 9102, 9201, 9202, 9203]) {
      expect(targets).toContain(`127.0.0.1:${port}`);
    }
    const config = prometheusConfig();
    expect(config).toContain('scrape_interval: 5s');
    expect(config).toContain('metrics_path: /metrics');
  });

  it('reads target health from the targets API', () => {
    const health = parseTargets({
      status: 'success',
      data: {
        activeTargets: [
          { labels: { job: 'gateway', instance: '127.0.0.1:8000' }, scrapeUrl: 'http://127.0.0.1:8000/metrics', health: 'down', lastError: 'connection refused' },
          { labels: { job: 'prometheus', instance: '127.0.0.1:9090' }, scrapeUrl: 'http://127.0.0.1:9090/metrics', health: 'up', lastError: '' },
        ],
      },
    });
    expect(health.map((t) => t.health)).toEqual(['down', 'up']);
  });
});
