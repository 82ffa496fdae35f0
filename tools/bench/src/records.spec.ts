import { byPartition, keyPartitioner } from './records';

describe('keyPartitioner', () => {
  it('matches the Java client (murmur2) for 6 partitions', () => {
    // computed with Kafka 4.4's Utils.toPositive(Utils.murmur2(key)) % 6, as in the gateway's test
    const partitionOf = keyPartitioner(6);
    expect(['alice:bob', 'foobar', 'a-little-bit-long-string', 'abc'].map(partitionOf)).toEqual([1, 0, 2, 3]);
  });
});

describe('byPartition', () => {
  it('groups in order', () => {
    const groups = byPartition([
      { partition: 1, id: 'a' },
      { partition: 0, id: 'b' },
      { partition: 1, id: 'c' },
    ]);
    expect([...groups.entries()].map(([p, rs]) => [p, rs.map((r) => r.id)])).toEqual([
      [1, ['a', 'c']],
      [0, ['b']],
    ]);
  });
});
