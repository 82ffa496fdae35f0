import { byPartition } from './records';

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
