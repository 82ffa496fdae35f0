import { brokerLeadingMost, metricSum, metricValue } from './leaders';

describe('brokerLeadingMost', () => {
  it('finds the broker leading the most partitions, the lowest id on a tie', () => {
    const p = (partitionId: number, leader: number) => ({ partitionId, leader });
    expect(brokerLeadingMost([p(0, 2), p(1, 3), p(2, 2), p(3, 1), p(4, 3), p(5, 2)])).toEqual({ brokerId: 2, partitions: 3 });
    expect(brokerLeadingMost([p(0, 3), p(1, 1), p(2, 3), p(3, 1)])).toEqual({ brokerId: 1, partitions: 2 });
    expect(() => brokerLeadingMost([p(0, -1)])).toThrow('no partition has a leader');
  });
});

describe('metric text', () => {
  const text = [
    '# HELP wiber_leader 1 while this instance leads',
    'wiber_leader 1',
    'wiber_ingest_messages_total{result="inserted"} 40',
    'wiber_ingest_messages_total{result="duplicate"} 3',
    'wiber_ingest_messages_total{result="failed"} 0',
  ].join('\n');

  it('reads one value and sums labelled series', () => {
    expect(metricValue(text, 'wiber_leader')).toBe(1);
    expect(metricValue(text, 'wiber_missing')).toBeUndefined();
    expect(metricSum(text, 'wiber_ingest_messages_total')).toBe(43);
    expect(metricSum(text, 'wiber_ingest_messages_total', 'result="duplicate"')).toBe(3);
  });
});
