import { histogramDelta, quantileUpperBound, readHistogram, sampleSum } from './metrics-text';

describe('sampleSum', () => {
  const text = [
    '# HELP wiber_gateway_produce_batch_records Records per Kafka send',
    '# TYPE wiber_gateway_produce_batch_records histogram',
    'wiber_gateway_produce_batch_records_bucket{le="1",service="gateway"} 3',
    'wiber_gateway_produce_batch_records_sum{service="gateway",instance="a"} 120',
    'wiber_gateway_produce_batch_records_count{service="gateway",instance="a"} 10',
    'wiber_gateway_produce_batch_records_count_other 99',
    'plain_total 4',
    'plain_total{x="y"} 1.5',
  ].join('\n');

  it('adds the samples of exactly the named metric, with or without labels', () => {
    expect(sampleSum(text, 'wiber_gateway_produce_batch_records_sum')).toBe(120);
    expect(sampleSum(text, 'wiber_gateway_produce_batch_records_count')).toBe(10);
    expect(sampleSum(text, 'plain_total')).toBe(5.5);
    expect(sampleSum(text, 'missing')).toBe(0);
  });
});

describe('histograms', () => {
  const exposition = (counts: number[], sum: number) =>
    [
      `lat_bucket{le="0.01",service="x"} ${counts[0]}`,
      `lat_bucket{service="x",le="0.1"} ${counts[1]}`,
      `lat_bucket{le="1",service="x"} ${counts[2]}`,
      `lat_bucket{le="+Inf",service="x"} ${counts[3]}`,
      `lat_sum{service="x"} ${sum}`,
      `lat_count{service="x"} ${counts[3]}`,
    ].join('\n');

  it('reads cumulative buckets, sum and count', () => {
    expect(readHistogram(exposition([1, 5, 9, 10], 2.5), 'lat')).toEqual({
      buckets: [
        { le: 0.01, count: 1 },
        { le: 0.1, count: 5 },
        { le: 1, count: 9 },
        { le: Number.POSITIVE_INFINITY, count: 10 },
      ],
      sum: 2.5,
      count: 10,
    });
  });

  it('subtracts an earlier snapshot and bounds quantiles by bucket', () => {
    const before = readHistogram(exposition([1, 5, 9, 10], 2.5), 'lat');
    const after = readHistogram(exposition([1, 105, 199, 200], 30.5), 'lat');
    const delta = histogramDelta(before, after);
    expect(delta.count).toBe(190);
    expect(delta.sum).toBeCloseTo(28);
    expect(quantileUpperBound(delta, 0.5)).toBe(0.1);
    expect(quantileUpperBound(delta, 0.99)).toBe(1);
    expect(quantileUpperBound({ buckets: [], sum: 0, count: 0 }, 0.5)).toBeNaN();
  });
});
