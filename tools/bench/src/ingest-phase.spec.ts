import { assignmentSettled } from './ingest';
import { ingestCount } from './ingest-phase';

describe('ingestCount', () => {
  it('stores the message cap for small messages and fewer large ones, never below 500', () => {
    const settings = { maxMessages: 20_000, budgetBytes: 96 * 1024 * 1024 };
    expect(ingestCount(100, settings)).toBe(20_000);
    expect(ingestCount(1024, settings)).toBe(20_000);
    expect(ingestCount(16_384, settings)).toBe(6144);
    expect(ingestCount(10_000_000, settings)).toBe(500);
    expect(ingestCount(10_000_000, { maxMessages: 50, budgetBytes: 1 })).toBe(50);
  });
});

describe('assignmentSettled', () => {
  it('needs every partition assigned once and every instance to have some', () => {
    expect(assignmentSettled([6], 6)).toBe(true);
    expect(assignmentSettled([3, 3], 6)).toBe(true);
    expect(assignmentSettled([6, 0], 6)).toBe(false);
    expect(assignmentSettled([6, 6], 6)).toBe(false);
    expect(assignmentSettled([4], 6)).toBe(false);
    expect(assignmentSettled([], 6)).toBe(false);
  });
});
