import { ceilingBatchSize, contentRange, payloadCount, sizeLabel } from './sizes';

describe('message sizes', () => {
  it('spans ±20 % around a size', () => {
    expect(contentRange(100)).toEqual([80, 120]);
    expect(contentRange(16_384)).toEqual([13_107, 19_661]);
    expect(contentRange(1)).toEqual([1, 1]);
    expect(() => contentRange(0)).toThrow(RangeError);
    expect(() => contentRange(1.5)).toThrow(RangeError);
  });

  it('labels sizes in B and KiB', () => {
    expect(sizeLabel(100)).toBe('100 B');
    expect(sizeLabel(1024)).toBe('1 KiB');
    expect(sizeLabel(16_384)).toBe('16 KiB');
    expect(sizeLabel(1536)).toBe('1.5 KiB');
  });

  it('keeps fewer distinct payloads of large sizes, within bounds', () => {
    expect(payloadCount(100, 32 * 1024 * 1024, 20_000)).toBe(20_000);
    expect(payloadCount(16_384, 32 * 1024 * 1024, 20_000)).toBe(2048);
    expect(payloadCount(10_000_000, 1024, 20_000)).toBe(100);
  });

  it('caps the bare producer batch at the gateway byte bound of one send', () => {
    expect(ceilingBatchSize(500, 250, 512 * 1024)).toBe(500);
    expect(ceilingBatchSize(500, 16_500, 512 * 1024)).toBe(31);
    expect(ceilingBatchSize(500, 2_000_000, 512 * 1024)).toBe(1);
  });
});
