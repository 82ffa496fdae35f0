import { TOPIC_SPECS, TOPICS } from './topics';

describe('topic specs', () => {
  it('match the design: partitions, RF 3 and min ISR 2 everywhere', () => {
    const byName = Object.fromEntries(TOPIC_SPECS.map((spec) => [spec.name, spec]));
    expect(byName[TOPICS.messages]?.partitions).toBe(6);
    expect(byName[TOPICS.messagesDlq]?.partitions).toBe(3);
    expect(byName[TOPICS.metrics]?.partitions).toBe(1);
    expect(byName[TOPICS.leaderElection]?.partitions).toBe(1);
    for (const spec of TOPIC_SPECS) {
      expect(spec.replicationFactor).toBe(3);
      expect(spec.configs['min.insync.replicas']).toBe('2');
    }
  });
});
