import { setTimeout as sleep } from 'node:timers/promises';
import { CpuMeter, type CpuUsage, type WatchedProcesses } from './cpu';
import { Semaphore } from './semaphore';
import { perSecond, summarize, type LatencySummary } from './stats';

export interface EndToEndOptions {
  gatewayUrl: string;
  /** messages per second, open loop (sent on schedule whatever the answers) */
  rate: number;
  seconds: number;
  /** each message gets its own conversation: `${userPrefix}<i>a` -> `${userPrefix}<i>b` */
  userPrefix: string;
  content: (i: number) => string;
  /** poll GET /messages/:a/:b for every n-th accepted message (0: none, e.g. to time the pipeline without read load) */
  readEvery: number;
  /** least pause between GETs of one pending conversation (it grows to a tenth of the time waited) */
  pollMs: number;
  /** most GETs in flight at once, over all pending messages (reads are not free: see the read-cost phase) */
  maxConcurrentGets: number;
  /** a message not readable this long after its 202 counts as not readable */
  giveUpMs: number;
  cpuOf: WatchedProcesses;
}

export interface EndToEndResult {
  sent: number;
  accepted: number;
  /** accepted messages that were polled */
  probed: number;
  readable: number;
  notReadable: number;
  failedPosts: number;
  achievedRate: number;
  /** POST sent -> 202 received */
  postLatencyMs: LatencySummary;
  /** 202 received -> the first GET that returned the message answered */
  endToEndMs: LatencySummary;
  gets: number;
  /** one GET /messages/:a/:b?limit=1, not counting the wait for a free slot */
  getLatencyMs: LatencySummary;
  cpu: CpuUsage;
}

interface Probe {
  accepted: boolean;
  /** polled until readable (or given up) */
  probed: boolean;
  postMs: number;
  e2eMs: number | undefined;
}

/**
 * Sends `rate` messages/s for `seconds` (each to a new conversation) and, from the 202 of
 * every `readEvery`-th message, polls GET /messages/:a/:b until the message is there. The latency is measured to the
 * answer of the first GET that shows it, so it overstates by at most one poll interval
 * (max(pollMs, a tenth of the latency)) plus one GET.
 */
export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndResult> {
  const total = Math.round(options.rate * options.seconds);
  const slots = new Semaphore(options.maxConcurrentGets);
  const getLatencies: number[] = [];
  const probe = async (i: number): Promise<Probe> => {
    const a = `${options.userPrefix}${i}a`;
    const b = `${options.userPrefix}${i}b`;
    const posted = performance.now();
    const res = await fetch(`${options.gatewayUrl}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fromUser: a, toUser: b, content: options.content(i) }),
    }).catch(() => undefined);
    const acceptedAt = performance.now();
    await res?.arrayBuffer();
    if (res?.status !== 202) return { accepted: false, postMs: acceptedAt - posted, e2eMs: undefined, probed: false };
    if (options.readEvery === 0 || i % options.readEvery !== 0) return { accepted: true, postMs: acceptedAt - posted, e2eMs: undefined, probed: false };
    // the first GET after pollMs: storing takes at least a Kafka round trip and a Mongo write, so an immediate GET only adds read load
    await sleep(options.pollMs);
    while (performance.now() - acceptedAt < options.giveUpMs) {
      const page = await slots.use(async () => {
        const t0 = performance.now();
        const body = (await (await fetch(`${options.gatewayUrl}/messages/${a}/${b}?limit=1`)).json()) as { messages?: unknown[] };
        getLatencies.push(performance.now() - t0);
        return body;
      });
      if ((page.messages?.length ?? 0) > 0) return { accepted: true, postMs: acceptedAt - posted, e2eMs: performance.now() - acceptedAt, probed: true };
      // at least pollMs, and at most a tenth of the time waited so far: fine resolution, no GET storm if ingest lags
      await sleep(Math.max(options.pollMs, (performance.now() - acceptedAt) / 10));
    }
    return { accepted: true, postMs: acceptedAt - posted, e2eMs: undefined, probed: true };
  };

  const cpu = new CpuMeter(options.cpuOf).start();
  const started = performance.now();
  const probes: Array<Promise<Probe>> = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    probes.push(probe(i));
  }
  const sendingMs = performance.now() - started;
  const results = await Promise.all(probes);
  const usage = cpu.stop();
  const accepted = results.filter((r) => r.accepted);
  const probed = accepted.filter((r) => r.probed);
  const readable = probed.filter((r) => r.e2eMs !== undefined);
  return {
    sent: total,
    accepted: accepted.length,
    probed: probed.length,
    readable: readable.length,
    notReadable: probed.length - readable.length,
    failedPosts: total - accepted.length,
    achievedRate: perSecond(total - 1, sendingMs),
    postLatencyMs: summarize(accepted.map((r) => r.postMs)),
    endToEndMs: summarize(readable.map((r) => r.e2eMs as number)),
    gets: getLatencies.length,
    getLatencyMs: summarize(getLatencies),
    cpu: usage,
  };
}
