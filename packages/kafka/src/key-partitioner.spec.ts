import { keyPartitioner } from './key-partitioner';

describe('keyPartitioner', () => {
  it('picks the partition the Java client picks (murmur2), e.g. for 6 partitions', () => {
    // expected values computed with Kafka 4.4's Utils.toPositive(Utils.murmur2(key)) % 6
    const partitionOf = keyPartitioner('wiber.messages', 6);
    const expected: Record<string, number> = { 'alice:bob': 1, '21': 0, foobar: 0, 'a-little-bit-long-string': 2, abc: 3, 'u-0001:u-0002': 1 };
    for (const [key, partition] of Object.entries(expected)) expect([key, partitionOf(key)]).toEqual([key, partition]);
  });

  it('is deterministic and in range for any key', () => {
    const partitionOf = keyPartitioner('t', 12);
    for (let i = 0; i < 500; i++) {
      const key = `user-${i}:user-${i * 7}`;
      const partition = partitionOf(key);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(12);
      expect(partitionOf(key)).toBe(partition);
    }
  });

  it('rejects a partition count below 1', () => {
    expect(() => keyPartitioner('t', 0)).toThrow(/at least 1/);
  });
});
