import { Leadership, type LeadershipChange } from './leadership';

function setUp(): { leadership: Leadership; changes: LeadershipChange[] } {
  const changes: LeadershipChange[] = [];
  const leadership = new Leadership({ sessionTimeoutMs: 10_000, leaseMarginMs: 2_000, onChange: (c) => changes.push(c) });
  return { leadership, changes };
}

/** A heartbeat sent at `sentAt` and acknowledged `rtt` later for `generation`. */
function beat(leadership: Leadership, generation: number, sentAt: number, rtt = 5): void {
  leadership.heartbeatSent(sentAt);
  leadership.heartbeatAcknowledged(generation, sentAt + rtt);
}

describe('Leadership', () => {
  it('a member assigned partition 0 leads once a heartbeat confirms the generation, which becomes the epoch', () => {
    const { leadership, changes } = setUp();
    leadership.joined(true);
    expect(leadership.isLeader(0)).toBe(false);
    beat(leadership, 7, 100);
    expect(leadership.isLeader(200)).toBe(true);
    expect(leadership.epoch(200)).toBe(7);
    expect(leadership.generationId()).toBe(7);
    expect(changes).toEqual([{ kind: 'elected', epoch: 7 }]);
  });

  it('a member without partition 0 never leads, but knows the generation', () => {
    const { leadership, changes } = setUp();
    leadership.joined(false);
    beat(leadership, 7, 100);
    expect(leadership.isLeader(200)).toBe(false);
    expect(leadership.generationId()).toBe(7);
    expect(changes).toEqual([]);
  });

  it('ends at once on a rebalance, crash or stop', () => {
    for (const reason of ['the group is rebalancing', 'the consumer crashed', 'shutting down']) {
      const { leadership, changes } = setUp();
      leadership.joined(true);
      beat(leadership, 3, 0);
      leadership.interrupted(reason);
      expect(leadership.isLeader(10)).toBe(false);
      expect(changes[1]).toEqual({ kind: 'lost', epoch: 3, reason });
    }
  });

  it('keeps leading while heartbeats are acknowledged, and stops when the lease (session - margin) runs out', () => {
    const { leadership, changes } = setUp();
    leadership.joined(true);
    for (let t = 0; t <= 20_000; t += 1_000) beat(leadership, 4, t);
    expect(leadership.isLeader(27_999)).toBe(true);
    expect(leadership.isLeaderIn(4, 27_999)).toBe(true);
    expect(leadership.isLeaderIn(3, 27_999)).toBe(false);
    expect(leadership.isLeader(28_000)).toBe(false);
    expect(changes[1]).toMatchObject({ kind: 'lost', epoch: 4 });
  });

  it('a frozen leader is not leader when it wakes, even if a pre-freeze heartbeat answer is read afterwards', () => {
    const { leadership } = setUp();
    leadership.joined(true);
    beat(leadership, 5, 0);
    leadership.heartbeatSent(1_000); // then SIGSTOP for 30 s
    expect(leadership.isLeader(31_000)).toBe(false);
    leadership.heartbeatAcknowledged(5, 31_001); // the answer was waiting in the socket
    expect(leadership.isLeader(31_002)).toBe(false);
    // and it claims nothing when it rejoins
    expect(leadership.claim(31_002)).toBeUndefined();
  });

  it('a pause shorter than the session but longer than the lease: steps down, then leads again in the same epoch once a heartbeat is acknowledged', () => {
    const { leadership, changes } = setUp();
    leadership.joined(true);
    beat(leadership, 5, 0);
    expect(leadership.isLeader(9_000)).toBe(false);
    beat(leadership, 5, 9_100);
    expect(leadership.epoch(9_200)).toBe(5);
    expect(changes.map((c) => c.kind)).toEqual(['elected', 'lost', 'elected']);
  });

  it('an acknowledgement that cannot be dated does not extend the lease', () => {
    const { leadership } = setUp();
    leadership.joined(true);
    beat(leadership, 5, 0);
    leadership.heartbeatAcknowledged(5, 7_000);
    expect(leadership.isLeader(8_100)).toBe(false);
  });

  it('after a rebalance the former leader claims its epoch while its lease holds, and leads again in the new generation', () => {
    const { leadership, changes } = setUp();
    leadership.joined(true);
    beat(leadership, 5, 0);
    leadership.interrupted('the group is rebalancing');
    expect(leadership.claim(500)).toBe(5);
    expect(leadership.claim(8_000)).toBeUndefined();
    leadership.joined(true);
    beat(leadership, 6, 600);
    expect(leadership.epoch(700)).toBe(6);
    expect(changes.map((c) => [c.kind, c.epoch])).toEqual([
      ['elected', 5],
      ['lost', 5],
      ['elected', 6],
    ]);
  });

  it('a join without a preceding rebalance event (the coordinator forgot the member) still ends the reign', () => {
    const { leadership, changes } = setUp();
    leadership.joined(true);
    beat(leadership, 5, 0);
    leadership.joined(false);
    expect(leadership.isLeader(10)).toBe(false);
    expect(changes[1]).toMatchObject({ kind: 'lost', epoch: 5 });
  });

  it('rejects a margin that leaves no lease', () => {
    expect(() => new Leadership({ sessionTimeoutMs: 1_000, leaseMarginMs: 1_000 })).toThrow(/leaseMarginMs/);
  });
});
