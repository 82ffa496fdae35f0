import { backoffMs, parseRetryAfter, verdictForError, verdictForStatus, type RetryPolicy } from './retry-policy';

export interface ChatRequest {
  fromUser: string;
  toUser: string;
  content: string;
}

export type SendStatus = 'acknowledged' | 'rejected' | 'unacknowledged';

/** What happened to one message of the stream, from the client's side. */
export interface SendOutcome {
  seq: number;
  /** the Idempotency-Key of every attempt of this message */
  key: string;
  firstAttemptAt: number;
  /** when the 202 arrived (undefined unless acknowledged) */
  ackedAt: number | undefined;
  attempts: number;
  status: SendStatus;
  /** HTTP status or error of the last failed attempt */
  lastProblem: string | undefined;
}

type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * POST /messages with an Idempotency-Key per message, retrying (same key) on 503/5xx, timeouts
 * and connection errors. Several gateways may be given: a connection error or timeout moves the
 * client to the next one (as a load balancer would), a 503 is retried on the same one.
 */
export class RetryingClient {
  private preferred = 0;
  private readonly inFlightByUrl = new Map<string, number>();

  constructor(
    private readonly gatewayUrls: readonly string[],
    private readonly policy: RetryPolicy,
    private readonly fetchImpl: FetchLike = (url, init) => fetch(url, init),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (gatewayUrls.length === 0) throw new Error('at least one gateway URL is needed');
  }

  /** Requests currently waiting for an answer from `url`. */
  inFlight(url: string): number {
    return this.inFlightByUrl.get(url) ?? 0;
  }

  async send(seq: number, key: string, request: ChatRequest): Promise<SendOutcome> {
    const firstAttemptAt = Date.now();
    const body = JSON.stringify(request);
    let attempts = 0;
    let lastProblem: string | undefined;
    for (;;) {
      attempts++;
      const index = this.preferred;
      const url = this.gatewayUrls[index % this.gatewayUrls.length] as string;
      let verdict: ReturnType<typeof verdictForStatus>;
      let retryAfter: number | undefined;
      this.inFlightByUrl.set(url, this.inFlight(url) + 1);
      try {
        const response = await this.fetchImpl(`${url}/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body,
          signal: AbortSignal.timeout(this.policy.attemptTimeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        verdict = verdictForStatus(response.status);
        retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        if (verdict !== 'acknowledged') lastProblem = `HTTP ${response.status}`;
      } catch (error) {
        verdict = verdictForError();
        lastProblem = describe(error);
      } finally {
        this.inFlightByUrl.set(url, this.inFlight(url) - 1);
      }
      if (verdict === 'acknowledged') return { seq, key, firstAttemptAt, ackedAt: Date.now(), attempts, status: 'acknowledged', lastProblem };
      if (verdict === 'rejected') return { seq, key, firstAttemptAt, ackedAt: undefined, attempts, status: 'rejected', lastProblem };
      if (verdict === 'retry-elsewhere' && this.preferred === index) this.preferred = index + 1;
      const wait = backoffMs(this.policy, attempts, retryAfter);
      if (Date.now() + wait - firstAttemptAt > this.policy.giveUpAfterMs) {
        return { seq, key, firstAttemptAt, ackedAt: undefined, attempts, status: 'unacknowledged', lastProblem };
      }
      await this.sleep(wait);
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message}` : '';
  return `${error.name}${cause}`;
}
