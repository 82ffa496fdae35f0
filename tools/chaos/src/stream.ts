import type { ChatRequest, RetryingClient, SendOutcome } from './client';

export interface StreamOptions {
  /** messages started per second (open loop: a slow answer does not slow the stream down) */
  rate: number;
  /** prefix of every Idempotency-Key and content, unique per run */
  runId: string;
  /** distinct senders (and as many conversations) the messages spread over */
  users?: number;
  /** hard bound on messages started, whatever the duration */
  maxMessages?: number;
  tickMs?: number;
}

/** The n-th message of a run: its Idempotency-Key and request body. */
export function streamMessage(runId: string, seq: number, users: number): { key: string; request: ChatRequest } {
  const from = seq % users;
  const to = (from + 1 + (Math.floor(seq / users) % (users - 1))) % users;
  return {
    key: `${runId}-${seq}`,
    request: { fromUser: `chaos-u${from}`, toUser: `chaos-u${to}`, content: `chaos ${runId} message ${seq}` },
  };
}

/** How many messages should have been started `elapsedMs` into a stream of `rate` per second. */
export function dueCount(elapsedMs: number, rate: number): number {
  return Math.floor((elapsedMs * rate) / 1000) + 1;
}

/** A steady stream of messages through a RetryingClient, until stopped. */
export class MessageStream {
  private readonly pending: Array<Promise<SendOutcome>> = [];
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private started = 0;
  /** messages started by burst() on top of the steady rate */
  private extra = 0;

  constructor(
    private readonly client: RetryingClient,
    private readonly options: StreamOptions,
  ) {}

  get sent(): number {
    return this.started;
  }

  private sendNext(): void {
    const seq = this.started++;
    const { key, request } = streamMessage(this.options.runId, seq, this.options.users ?? 12);
    this.pending.push(this.client.send(seq, key, request));
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.startedAt = Date.now();
    const max = this.options.maxMessages ?? Number.POSITIVE_INFINITY;
    const tick = () => {
      const due = Math.min(max, dueCount(Date.now() - this.startedAt, this.options.rate) + this.extra);
      while (this.started < due) this.sendNext();
    };
    tick();
    this.timer = setInterval(tick, this.options.tickMs ?? 10);
  }

  /** Starts `count` messages at once, on top of the steady rate (counted like every other message). */
  burst(count: number): void {
    this.extra += count;
    for (let i = 0; i < count; i++) this.sendNext();
  }

  /** Starts no more messages; resolves with every outcome once the last retry ended. */
  async stop(): Promise<SendOutcome[]> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return Promise.all(this.pending);
  }
}
