import type { SendOutcome } from './client';
import { tally, timings, type StoredMessage } from './counting';

const outcome = (seq: number, status: SendOutcome['status'] = 'acknowledged', ackedAt: number | undefined = 1_000 + seq): SendOutcome => ({
  seq,
  key: `run-${seq}`,
  firstAttemptAt: 900 + seq,
  ackedAt: status === 'acknowledged' ? ackedAt : undefined,
  attempts: 1,
  status,
  lastProblem: undefined,
});
const stored = (seq: number, storedAt = 1_100 + seq, messageId = `m-${seq}`): StoredMessage => ({ clientMessageId: `run-${seq}`, messageId, storedAt });

describe('tally', () => {
  it('counts a clean run: every message acknowledged and stored once', () => {
    const t = tally([outcome(0), outcome(1), outcome(2)], [stored(0), stored(1), stored(2)]);
    expect(t).toEqual({ sent: 3, acknowledged: 3, unacknowledged: 0, rejected: 0, stored: 3, lost: 0, duplicates: 0, lostKeys: [], duplicateKeys: [] });
  });

  it('an acknowledged message missing from Mongo is lost; an unacknowledged one is not', () => {
    const t = tally([outcome(0), outcome(1), outcome(2, 'unacknowledged')], [stored(0)]);
    expect(t.lost).toBe(1);
    expect(t.lostKeys).toEqual(['run-1']);
    expect(t.unacknowledged).toBe(1);
    expect(t.stored).toBe(1);
  });

  it('a message stored under two message ids counts as one duplicate per extra copy', () => {
    const t = tally([outcome(0), outcome(1)], [stored(0), stored(0, 1_200, 'other'), stored(0, 1_300, 'third'), stored(1)]);
    expect(t.duplicates).toBe(2);
    expect(t.duplicateKeys).toEqual(['run-0']);
    expect(t.stored).toBe(2);
  });

  it('ignores documents that are not messages of this run', () => {
    const t = tally([outcome(0)], [stored(0), { clientMessageId: null, messageId: 'x', storedAt: 1 }, { clientMessageId: 'someone-else', messageId: 'y', storedAt: 1 }]);
    expect(t.stored).toBe(1);
    expect(t.duplicates).toBe(0);
  });

  it('a message that was not acknowledged but stored anyway is stored, not lost', () => {
    const t = tally([outcome(0, 'unacknowledged')], [stored(0)]);
    expect(t).toMatchObject({ acknowledged: 0, stored: 1, lost: 0 });
  });
});

describe('timings', () => {
  it('a message completes when it is both acknowledged and (first) stored', () => {
    const result = timings([outcome(0, 'acknowledged', 1_500), outcome(1, 'acknowledged', 1_000), outcome(2)], [stored(0, 1_200), stored(1, 1_700), stored(1, 1_600, 'again')]);
    expect(result).toEqual([
      { firstAttemptAt: 900, completedAt: 1_500 },
      { firstAttemptAt: 901, completedAt: 1_600 },
      { firstAttemptAt: 902, completedAt: undefined },
    ]);
  });
});
