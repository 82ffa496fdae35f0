import type { CpuUsage } from './cpu';
import type { EndToEndResult } from './end-to-end';
import type { HttpLoadResult } from './gateway-load';
import type { IngestWatchResult, MongoCeilingResult } from './ingest';
import { quantileUpperBound, type HistogramSnapshot } from './metrics-text';
import type { CeilingResult } from './producer-ceiling';
import type { ReadCostResult } from './read-cost';
import type { LatencySummary } from './stats';

export interface MachineReport {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** 1, 5, 15 minute load averages */
  loadBefore: number[];
  loadAfter: number[];
}

export interface BenchReport {
  command: string;
  startedAt: string;
  elapsedS: number;
  machine: MachineReport;
  settings: Record<string, string | number>;
  producerCeiling: CeilingResult;
  gateways: Array<{ label: string; env: Record<string, string>; connections: number; result: HttpLoadResult }>;
  endToEnd: { sendOnly: EndToEndRun; withReads: EndToEndRun } | undefined;
  readCost: ReadCostResult | undefined;
  ingest: { consumer: IngestWatchResult; ceilings: MongoCeilingResult[] } | undefined;
}

export interface EndToEndRun {
  result: EndToEndResult;
  /** the ingest-consumer's own histogram over the run: sentAt (gateway) -> Mongo acknowledged */
  stored: HistogramSnapshot;
}

export const BEGIN_MARKER = '<!-- bench:begin (written by `npm run bench`; edits inside are replaced) -->';
export const END_MARKER = '<!-- bench:end -->';

/** Replaces the generated section of `existing` (or appends one), keeping everything around it. */
export function spliceSection(existing: string, section: string): string {
  const block = `${BEGIN_MARKER}\n${section.trimEnd()}\n${END_MARKER}`;
  const begin = existing.indexOf(BEGIN_MARKER);
  const end = existing.indexOf(END_MARKER);
  if (begin >= 0 && end > begin) return existing.slice(0, begin) + block + existing.slice(end + END_MARKER.length);
  const base = existing.trimEnd();
  return `${base.length > 0 ? `${base}\n\n` : ''}${block}\n`;
}

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const n1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(1) : Math.round(v).toString()) : '–');
const ratio = (v: number, ceiling: number) => (ceiling > 0 && Number.isFinite(v) ? `${((v / ceiling) * 100).toFixed(1)} %` : '–');
const latency = (l: Pick<LatencySummary, 'p50' | 'p99' | 'max'>) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`;
const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');

/** "gateway 86, kafka 60, …, others 12; machine 91 %": each process group in % of one core, the machine in % of all cores. */
export function cpuCell(cpu: CpuUsage): string {
  const parts = Object.entries(cpu.processes).map(([label, value]) => `${label} ${Math.round(value)}`);
  const others = Number.isFinite(cpu.others) ? `, others ${Math.round(cpu.others)}` : '';
  return `${parts.join(', ')}${others}; machine ${Number.isFinite(cpu.machineBusy) ? Math.round(cpu.machineBusy) : '–'} %`;
}

function gatewaySection(report: BenchReport): string[] {
  const ceiling = report.producerCeiling;
  const lines = [
    '### Gateway accepted messages/s vs a bare kafkajs producer (the ceiling)',
    '',
    '| producer | HTTP connections | messages/s | of ceiling | latency p50 / p99 / max (ms) | mean wait for Kafka ack (ms) | records per send | non-2xx / errors | CPU (% of one core) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    `| bare kafkajs producer (idempotent, acks=all, ${report.settings['ceilingBatch']} records per send, one partition per send, all partitions at once) | – | ${n0(ceiling.perSecond)} | 100 % | ${latency(ceiling.sendLatencyMs)} per send | ${ms(ceiling.sendLatencyMs.mean)} | ${n1(ceiling.records / ceiling.sends)} | – | ${cpuCell(ceiling.cpu)} |`,
    ...report.gateways.map(
      ({ label, connections, result: r }) =>
        `| gateway, ${label} | ${connections} | ${n0(r.acceptedPerSecond)} | ${ratio(r.acceptedPerSecond, ceiling.perSecond)} | ${latency(r.latencyMs)} per request | ${ms(r.produceWaitMs)} | ${n1(r.recordsPerSend)} | ${r.non2xx} / ${r.errors} | ${cpuCell(r.cpu)} |`,
    ),
    '',
    `Gateway runs: autocannon in the bench process, closed loop (each connection sends its next request when the previous one is answered), ${report.settings['durationS']} s after a ${report.settings['warmupS']} s warm-up, ` +
      `at most ${report.settings['maxRequests']} requests; the gateway is a child process (\`node --import tsx apps/gateway/src/main.ts\`, LOG_LEVEL=warn) producing to a private topic shaped like wiber.messages ` +
      `(GATEWAY_TOPIC; 6 partitions, RF 3, min ISR 2); accepted = HTTP 202 after acks=all. ` +
      `"Mean wait for Kafka ack" is the gateway's own produce histogram (enqueue to acknowledgement). The ceiling ran ${n0(ceiling.records)} records in ${n1(ceiling.elapsedMs / 1000)} s ` +
      `(${ceiling.sends} sends) to a private topic shaped like wiber.messages; its latency is per send() of a batch, not per HTTP request.`,
  ];
  for (const connections of new Set(report.gateways.map((g) => g.connections))) {
    const at = report.gateways.filter((g) => g.connections === connections);
    const [off, on] = at;
    if (off === undefined || on === undefined || off.result.acceptedPerSecond <= 0) continue;
    lines.push(
      '',
      `Batching at ${connections} connections, before -> after: ${n0(off.result.acceptedPerSecond)} -> ${n0(on.result.acceptedPerSecond)} accepted/s ` +
        `(×${(on.result.acceptedPerSecond / off.result.acceptedPerSecond).toFixed(1)}), p99 ${ms(off.result.latencyMs.p99)} -> ${ms(on.result.latencyMs.p99)} ms.`,
    );
  }
  return lines;
}

function storedCell(h: HistogramSnapshot): string {
  if (h.count <= 0) return '–';
  const bound = (q: number) => ms(quantileUpperBound(h, q) * 1000);
  return `${ms((h.sum / h.count) * 1000)} / ≤ ${bound(0.5)} / ≤ ${bound(0.99)} (${h.count})`;
}

function endToEndSection(e: NonNullable<BenchReport['endToEnd']>, settings: BenchReport['settings']): string[] {
  const row = (label: string, { result: r, stored }: EndToEndRun) =>
    `| ${label} | ${n1(r.achievedRate)} | ${r.sent} / ${r.accepted} | ${storedCell(stored)} | ${r.probed > 0 ? `${r.probed} / ${r.readable} / ${r.notReadable}` : '–'} | ${r.gets > 0 ? latency(r.endToEndMs) : '–'} | ${latency(r.postLatencyMs)} | ${r.gets > 0 ? `${r.gets}, ${ms(r.getLatencyMs.p50)} / ${ms(r.getLatencyMs.p99)}` : '–'} | ${cpuCell(r.cpu)} |`;
  return [
    '### End-to-end latency at a fixed rate: POST accepted (202) -> readable by GET /messages/:a/:b',
    '',
    '| run | rate (msg/s) | sent / accepted | stored: mean / p50 / p99 ms (messages), ingest histogram | polled / readable / not within 30 s | readable by GET p50 / p99 / max (ms) | POST p50 / p99 / max (ms) | GETs, GET p50 / p99 (ms) | CPU (% of one core) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    row(`sending, polling GET for every ${settings['e2eReadEvery']}th message`, e.withReads),
    row('sending only (no reads), right after', e.sendOnly),
    '',
    'Open loop, one new conversation per message, through the batched gateway and an ingest-consumer child process (default settings) on a private group ' +
      'reading the gateway\'s private topic (committed at its end before it starts) and a private database. "Stored" is the ingest-consumer\'s own histogram ' +
      '`wiber_ingest_end_to_end_latency_seconds` (sentAt, set by the gateway before producing, to Mongo\'s acknowledgement): exact mean, percentiles only as bucket bounds. ' +
      `"Readable by GET": every ${settings['e2eReadEvery']}th accepted message is polled from ${settings['e2ePollMs']} ms after its 202, then every max(${settings['e2ePollMs']} ms, a tenth of the time waited so far), at most ${settings['e2eMaxGets']} GETs in flight in all; ` +
      'the time is taken when the first GET that shows the message answers, so it overstates by up to one poll interval plus one GET (and any wait for a GET slot).',
  ];
}

function readCostSection(r: ReadCostResult): string[] {
  return [
    '### What one GET /messages/:a/:b?limit=1 costs as the collection grows',
    '',
    '| documents in the collection | GET p50 / p99 / max (ms) |',
    '|---:|---:|',
    ...r.steps.map((step) => `| ${n0(step.documents)} | ${latency(step.getMs)} |`),
    '',
    `20 sequential GETs of existing conversations per size, documents inserted directly. The server's plan for the conversation query (explain): \`${r.plan}\`.`,
  ];
}

function ingestSection(ingest: NonNullable<BenchReport['ingest']>): string[] {
  const best = Math.max(...ingest.ceilings.map((c) => c.perSecond));
  return [
    '### Ingest stored messages/s vs a bare Mongo bulk insert (the ceiling)',
    '',
    '| writer | documents | seconds | messages/s | of best ceiling | CPU (% of one core) |',
    '|---|---:|---:|---:|---:|---|',
    ...ingest.ceilings.map(
      (c) => `| bare insertMany (unordered, w:majority, j:true), ${c.chunk} per call, one call at a time | ${c.documents} | ${n1(c.elapsedMs / 1000)} | ${n0(c.perSecond)} | ${ratio(c.perSecond, best)} | ${cpuCell(c.cpu)} |`,
    ),
    `| ingest-consumer (child process, default settings) from a private topic (${ingest.consumer.stored} stored afterwards) | ${ingest.consumer.documents} | ${n1(ingest.consumer.windowMs / 1000)} | ${n0(ingest.consumer.perSecond)} | ${ratio(ingest.consumer.perSecond, best)} | ${cpuCell(ingest.consumer.cpu)} |`,
    '',
    'The same documents (the ingest mapping of the same records) into fresh databases with the same indexes. The consumer read a private topic shaped like ' +
      'wiber.messages, filled beforehand; it was timed by its own counter `wiber_ingest_messages_total` (inserted + duplicate, polled every 100 ms), from the first poll that saw records written ' +
        'to the first that saw all of them, so its start-up and group join are not counted; the documents were counted once afterwards.',
  ];
}

export function renderReport(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [
    `## Results of ${report.startedAt}`,
    '',
    `Command: \`${report.command}\` (took ${Math.round(report.elapsedS)} s).`,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}. ` +
      `Load average (1 / 5 / 15 min) before: ${load(m.loadBefore)}, after: ${load(m.loadAfter)}. ` +
      'Everything (3 Kafka brokers, registry, FerretDB, the apps and the load generator) shares these CPUs. ' +
      'CPU cells: each process group in % of one core over the measured interval (kafka = the three brokers; others = every other process on the machine), machine = busy share of all cores.',
    '',
    `Settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`,
    '',
    ...gatewaySection(report),
  ];
  if (report.endToEnd !== undefined) lines.push('', ...endToEndSection(report.endToEnd, report.settings));
  if (report.readCost !== undefined) lines.push('', ...readCostSection(report.readCost));
  if (report.ingest !== undefined) lines.push('', ...ingestSection(report.ingest));
  return lines.join('\n');
}
