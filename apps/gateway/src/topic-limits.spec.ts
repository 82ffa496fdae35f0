import { effectiveMaxBatchBytes, RECORD_BATCH_OVERHEAD_BYTES } from './topic-limits';

describe('effectiveMaxBatchBytes', () => {
  it('keeps the configured bound when the topic allows it or its limit is unknown', () => {
    expect(effectiveMaxBatchBytes(512 * 1024, 1_048_588)).toBe(512 * 1024);
    expect(effectiveMaxBatchBytes(512 * 1024, undefined)).toBe(512 * 1024);
  });

  it("lowers it below the topic's max.message.bytes, leaving room for the batch header", () => {
    expect(effectiveMaxBatchBytes(512 * 1024, 100_000)).toBe(100_000 - RECORD_BATCH_OVERHEAD_BYTES);
  });
});
