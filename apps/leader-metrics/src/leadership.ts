export type LeadershipChange = { kind: 'elected'; epoch: number } | { kind: 'lost'; epoch: number; reason: string };

export interface LeadershipOptions {
  sessionTimeoutMs: number;
  /** leadership ends this long before the session could expire at the coordinator */
  leaseMarginMs: number;
  onChange?: (change: LeadershipChange) => void;
}

/**
 * Whether this instance is the leader, from what the consumer of the election group reports.
 * All times are monotonic milliseconds (performance.now()), so wall-clock jumps cannot
 * extend a lease.
 *
 * - A join that assigns partition 0 makes the member a candidate; it becomes leader with the
 *   generation id as its epoch once a heartbeat of that generation is acknowledged.
 * - The lease: the coordinator cannot expire the session before `sessionTimeout` after it
 *   received the last acknowledged heartbeat, and it received it after we sent it. So while
 *   `now < sentAt + sessionTimeout - margin` no other member can have been given partition 0.
 *   A process frozen past that point (GC pause, SIGSTOP) is no longer leader when it wakes,
 *   even before it hears from the coordinator — and a heartbeat answer that was waiting in the
 *   socket while it was frozen does not renew the lease, because it is dated by its send time.
 * - A rebalance, crash, stop or disconnect ends leadership at once.
 */
export class Leadership {
  private readonly leaseMs: number;
  private holdsPartition = false;
  private generation: number | undefined;
  private unconfirmedHeartbeatSentAt: number | undefined;
  private leaseFrom: number | undefined;
  private reign: number | undefined;
  /** the last reign and its lease, kept after it ended so a rejoin can claim it back */
  private lastReign: { epoch: number; leaseFrom: number } | undefined;

  constructor(private readonly options: LeadershipOptions) {
    this.leaseMs = options.sessionTimeoutMs - options.leaseMarginMs;
    if (this.leaseMs <= 0) throw new Error('leaseMarginMs must be shorter than sessionTimeoutMs');
  }

  /** The member (re)joined a new generation; `holdsPartition` when it was assigned partition 0. */
  joined(holdsPartition: boolean): void {
    this.end('joined a new generation of the group');
    this.holdsPartition = holdsPartition;
    this.generation = undefined;
    this.leaseFrom = undefined;
  }

  /** A heartbeat request went out (its send time, converted to the monotonic clock). */
  heartbeatSent(sentAt: number): void {
    this.unconfirmedHeartbeatSentAt = sentAt;
  }

  /** The coordinator acknowledged the last heartbeat sent, for `generationId`. */
  heartbeatAcknowledged(generationId: number, now: number): void {
    const sentAt = this.unconfirmedHeartbeatSentAt;
    this.unconfirmedHeartbeatSentAt = undefined;
    // without a send time the acknowledgement cannot be dated: it must not extend the lease
    if (sentAt === undefined) return;
    if (this.reign !== undefined && generationId !== this.reign) this.end(`generation changed to ${generationId}`);
    this.generation = generationId;
    this.leaseFrom = sentAt;
    if (this.reign === undefined && this.holdsPartition && this.leaseValid(now)) {
      this.reign = generationId;
      this.lastReign = { epoch: generationId, leaseFrom: sentAt };
      this.options.onChange?.({ kind: 'elected', epoch: generationId });
    } else if (this.reign !== undefined) {
      this.lastReign = { epoch: this.reign, leaseFrom: sentAt };
    }
  }

  /** Rebalance, crash, stop, disconnect: whatever the member held, it no longer does. */
  interrupted(reason: string): void {
    this.end(reason);
    this.holdsPartition = false;
  }

  /** Ends a leadership whose lease ran out; true while leader. Call it before acting as leader. */
  isLeader(now: number): boolean {
    if (this.reign !== undefined && !this.leaseValid(now)) {
      this.end('no heartbeat acknowledged within the lease: the session may have expired');
    }
    return this.reign !== undefined;
  }

  /** True only while leader in exactly `epoch`: what a publish checks right before sending. */
  isLeaderIn(epoch: number, now: number): boolean {
    return this.isLeader(now) && this.reign === epoch;
  }

  epoch(now: number): number | undefined {
    return this.isLeader(now) ? this.reign : undefined;
  }

  /** The generation this member last had confirmed by a heartbeat (0 before the first). */
  generationId(): number {
    return this.generation ?? 0;
  }

  /**
   * The epoch this member may claim when it rejoins: that of its last reign, while that reign's
   * lease has not run out. A member frozen past its lease claims nothing.
   */
  claim(now: number): number | undefined {
    const last = this.lastReign;
    return last !== undefined && now < last.leaseFrom + this.leaseMs ? last.epoch : undefined;
  }

  private leaseValid(now: number): boolean {
    return this.leaseFrom !== undefined && now < this.leaseFrom + this.leaseMs;
  }

  private end(reason: string): void {
    const epoch = this.reign;
    if (epoch === undefined) return;
    this.reign = undefined;
    this.options.onChange?.({ kind: 'lost', epoch, reason });
  }
}
