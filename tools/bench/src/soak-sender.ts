import { Agent, request } from 'node:http';
import { seededRandom } from './workload';

export interface SenderStats {
  sent: number;
  accepted: number;
  /** answered, but not 202 (by status) */
  rejected: Record<string, number>;
  /** no answer (connection error, timeout) */
  failed: number;
  /** why requests got no answer: error code (ECONNRESET, ...) or message -> count */
  failures: Record<string, number>;
  /** due but not sent because too many requests were in flight (the rate was not held) */
  skipped: number;
  /** messageIds of every 202 */
  acceptedIds: string[];
}

export interface SenderOptions {
  gatewayUrl: string;
  /** messages per second, open loop */
  rate: number;
  /** content length in characters */
  contentChars: number;
  users: number;
  userPrefix: string;
  maxInFlight: number;
}

/**
 * Sends POST /messages at a fixed rate (open loop: on schedule, whatever the answers) over
 * keep-alive connections until stopped; remembers the messageId of every 202.
 */
export class OpenLoopSender {
  readonly stats: SenderStats = { sent: 0, accepted: 0, rejected: {}, failed: 0, failures: {}, skipped: 0, acceptedIds: [] };
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private due = 0;
  private readonly random = seededRandom(42);
  private readonly idle: Array<() => void> = [];

  constructor(private readonly options: SenderOptions) {}

  start(): void {
    this.startedAt = performance.now();
    this.timer = setInterval(() => this.tick(), 10);
  }

  /** Stops sending and waits for the answers still outstanding. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.agent.destroy();
  }

  private tick(): void {
    const target = Math.floor(((performance.now() - this.startedAt) / 1000) * this.options.rate);
    while (this.due < target) {
      this.due++;
      if (this.inFlight >= this.options.maxInFlight) this.stats.skipped++;
      else this.send();
    }
  }

  private body(): string {
    const { users, userPrefix, contentChars } = this.options;
    const from = Math.floor(this.random() * users);
    const to = (from + 1 + Math.floor(this.random() * (users - 1))) % users;
    const content = `soak ${this.stats.sent} `.padEnd(contentChars, 'x');
    return JSON.stringify({ fromUser: `${userPrefix}u${from}`, toUser: `${userPrefix}u${to}`, content });
  }

  private send(): void {
    const payload = this.body();
    this.stats.sent++;
    this.inFlight++;
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
    };
    const req = request(
      `${this.options.gatewayUrl}/messages`,
      { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }, timeout: 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if (res.statusCode === 202) {
            this.stats.accepted++;
            try {
              this.stats.acceptedIds.push((JSON.parse(text) as { messageId: string }).messageId);
            } catch {
              this.stats.failed++;
            }
          } else {
            const status = String(res.statusCode);
            this.stats.rejected[status] = (this.stats.rejected[status] ?? 0) + 1;
          }
          done();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!settled) {
        this.stats.failed++;
        const reason = error.code ?? error.message;
        this.stats.failures[reason] = (this.stats.failures[reason] ?? 0) + 1;
      }
      done();
    });
    req.end(payload);
  }
}
