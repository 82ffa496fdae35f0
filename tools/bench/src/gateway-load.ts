import autocannon from 'autocannon';
import { CpuMeter, stackProcesses, type CpuUsage } from './cpu';
import { sampleSum } from './metrics-text';
import type { RunningApp } from './children';
import type { SendRequest } from './workload';

export interface HttpLoadOptions {
  gateway: RunningApp;
  requests: readonly SendRequest[];
  connections: number;
  durationS: number;
  /** stop early after this many responses */
  maxRequests: number;
}

export interface HttpLoadResult {
  accepted: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedS: number;
  acceptedPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  /** mean records per Kafka send during the run (from the gateway's batch histogram) */
  recordsPerSend: number;
  /** mean time a request waited for Kafka's acknowledgement (from the gateway's produce histogram) */
  produceWaitMs: number;
  cpu: CpuUsage;
}

interface GatewayCounters {
  batchRecords: number;
  sends: number;
  produceSeconds: number;
  produced: number;
}

async function gatewayCounters(url: string): Promise<GatewayCounters> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return {
    batchRecords: sampleSum(text, 'wiber_gateway_produce_batch_records_sum'),
    sends: sampleSum(text, 'wiber_gateway_produce_batch_records_count'),
    produceSeconds: sampleSum(text, 'wiber_gateway_produce_duration_seconds_sum'),
    produced: sampleSum(text, 'wiber_gateway_produce_duration_seconds_count'),
  };
}

/** Closed-loop HTTP load (autocannon): `connections` clients each POST, wait for the answer, POST again. */
export async function runHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const bodies = options.requests.map((r) => JSON.stringify(r));
  let next = 0;
  let responses = 0;
  const before = await gatewayCounters(options.gateway.url);
  const cpu = new CpuMeter({ gateway: options.gateway.app.pid, 'load generator': process.pid, ...stackProcesses() }).start();
  let stop: () => void = () => undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.gateway.url}/messages`,
        connections: options.connections,
        duration: options.durationS,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] as string }),
            onResponse: () => {
              if (++responses === options.maxRequests) stop();
            },
          },
        ],
      },
      (error: unknown, finished: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished)),
    );
    stop = () => instance.stop();
  });
  const usage = cpu.stop();
  const after = await gatewayCounters(options.gateway.url);
  const sends = after.sends - before.sends;
  const produced = after.produced - before.produced;
  return {
    accepted: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedS: result.duration,
    acceptedPerSecond: result['2xx'] / result.duration,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    recordsPerSend: sends > 0 ? (after.batchRecords - before.batchRecords) / sends : Number.NaN,
    produceWaitMs: produced > 0 ? ((after.produceSeconds - before.produceSeconds) * 1000) / produced : Number.NaN,
    cpu: usage,
  };
}
