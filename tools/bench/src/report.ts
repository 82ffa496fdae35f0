import type { CpuUsage } from './cpu';
import type { SizeEndToEnd } from './e2e-phase';
import type { SizeIngest } from './ingest-phase';
import { quantileUpperBound, type HistogramSnapshot } from './metrics-text';
import { factor, ratioOf, weakest, type RatioEntry } from './ratios';
import type { ReadCostResult } from './read-cost';
import { sizeLabel } from './sizes';
import type { LatencySummary } from './stats';
import type { GatewayRun, SizeThroughput } from './throughput-phase';
import type { GatewayVariant } from './variants';

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
  variants: GatewayVariant[];
  throughput: SizeThroughput[];
  endToEnd: SizeEndToEnd[] | undefined;
  readCost: ReadCostResult | undefined;
  ingest: SizeIngest[] | undefined;
}

export const BEGIN_MARKER = '<!-- bench:begin (written by `npm run bench`; edits inside are replaced) -->';
export const END_MARKER = '<!-- bench:end -->';

/** Replaces the part of `existing` between `begin` and `end` (or appends one), keeping everything around it. */
export function spliceMarked(existing: string, section: string, begin: string, end: string): string {
  const block = `${begin}\n${section.trimEnd()}\n${end}`;
  const from = existing.indexOf(begin);
  const to = existing.indexOf(end);
  if (from >= 0 && to > from) return existing.slice(0, from) + block + existing.slice(to + end.length);
  const base = existing.trimEnd();
  return `${base.length > 0 ? `${base}\n\n` : ''}${block}\n`;
}

/** Replaces the bench's generated section of `existing` (or appends one). */
export function spliceSection(existing: string, section: string): string {
  return spliceMarked(existing, section, BEGIN_MARKER, END_MARKER);
}

const n0 = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const n1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(1) : Math.round(v).toString()) : '–');
/** a ratio in %, with more digits when small */
export const pct = (r: number) => (Number.isFinite(r) ? `${(r * 100).toFixed(r < 0.1 ? 2 : 1)} %` : '–');
const latency = (l: Pick<LatencySummary, 'p50' | 'p99' | 'max'>) => `${ms(l.p50)} / ${ms(l.p99)} / ${ms(l.max)}`;
const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' / ');

/** "gateway 86, kafka 60, …, others 12; machine 91 %": each process group in % of one core, the machine in % of all cores. */
export function cpuCell(cpu: CpuUsage): string {
  const parts = Object.entries(cpu.processes).map(([label, value]) => `${label} ${Math.round(value)}`);
  const others = Number.isFinite(cpu.others) ? `, others ${Math.round(cpu.others)}` : '';
  return `${parts.join(', ')}${others}; machine ${Number.isFinite(cpu.machineBusy) ? Math.round(cpu.machineBusy) : '–'} %`;
}

/** CPU time of one process group per event, in ms: (% of one core / 100) / events per second * 1000. */
export function cpuMsPer(cpuPercent: number | undefined, perSecond: number): number {
  return cpuPercent !== undefined && perSecond > 0 ? (cpuPercent / 100 / perSecond) * 1000 : Number.NaN;
}

const bestCeiling = (ingest: SizeIngest) => Math.max(...ingest.ceilings.map((c) => c.perSecond));

/** Every ratio of the run: gateway runs to the bare producer, ingest runs to the best bare insert, at the same size. */
export function ratioEntries(report: Pick<BenchReport, 'throughput' | 'ingest'>): RatioEntry[] {
  const entries: RatioEntry[] = [];
  for (const t of report.throughput) {
    for (const g of t.gateways) {
      entries.push({ what: `gateway (${g.variant.key}), ${sizeLabel(t.size)}, ${g.connections} connections`, value: g.result.acceptedPerSecond, ceiling: t.ceiling.perSecond });
    }
  }
  for (const i of report.ingest ?? []) {
    for (const run of i.runs) {
      entries.push({ what: `ingest, ${sizeLabel(i.size)}, ${run.instances} instance${run.instances > 1 ? 's' : ''}`, value: run.watch.perSecond, ceiling: bestCeiling(i) });
    }
  }
  return entries;
}

function summarySection(report: BenchReport): string[] {
  const connections = [...new Set(report.throughput.flatMap((t) => t.gateways.map((g) => g.connections)))];
  const instanceCounts = [...new Set((report.ingest ?? []).flatMap((i) => i.runs.map((r) => r.instances)))];
  const gatewayColumns = report.variants.flatMap((variant) => connections.map((c) => ({ variant, connections: c })));
  const header = [
    'content size',
    'bare producer msg/s',
    ...gatewayColumns.map((c) => `gateway ${c.variant.key}, ${c.connections} conn.`),
    ...(report.ingest !== undefined ? ['bare insertMany msg/s (best)', ...instanceCounts.map((n) => `ingest, ${n} instance${n > 1 ? 's' : ''}`)] : []),
  ];
  const rows = report.throughput.map((t) => {
    const ingest = report.ingest?.find((i) => i.size === t.size);
    const gatewayCells = gatewayColumns.map(({ variant, connections: c }) => {
      const run = t.gateways.find((g) => g.variant.key === variant.key && g.connections === c);
      return run === undefined ? '–' : `${n0(run.result.acceptedPerSecond)} (${pct(ratioOf(run.result.acceptedPerSecond, t.ceiling.perSecond))})`;
    });
    const ingestCells =
      report.ingest === undefined
        ? []
        : [
            ingest === undefined ? '–' : n0(bestCeiling(ingest)),
            ...instanceCounts.map((n) => {
              const run = ingest?.runs.find((r) => r.instances === n);
              return run === undefined || ingest === undefined ? '–' : `${n0(run.watch.perSecond)} (${pct(ratioOf(run.watch.perSecond, bestCeiling(ingest)))})`;
            }),
          ];
    return `| ${[sizeLabel(t.size), n0(t.ceiling.perSecond), ...gatewayCells, ...ingestCells].join(' | ')} |`;
  });
  const low = weakest(ratioEntries(report));
  return [
    '### Summary: messages/s and the share of the ceiling at the same size',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows,
    '',
    'Each cell: messages/s (share of the ceiling of its row: the bare kafkajs producer for the gateway, the best bare insertMany for ingest). Details below.',
    ...(low !== undefined ? ['', `Weakest ratio of this run: ${low.what}, ${n0(low.value)} of ${n0(low.ceiling)} msg/s = ${pct(low.ratio)}.`] : []),
  ];
}

function gatewayRow(t: SizeThroughput, g: GatewayRun): string {
  const r = g.result;
  const gatewayCpu = r.cpu.processes['gateway'];
  return `| ${sizeLabel(t.size)} | gateway, ${g.variant.label} | ${g.connections} | ${n0(r.acceptedPerSecond)} | ${pct(ratioOf(r.acceptedPerSecond, t.ceiling.perSecond))} | ${latency(r.latencyMs)} per request | ${ms(r.produceWaitMs)} | ${n1(r.recordsPerSend)} | ${r.non2xx} / ${r.errors} | ${ms(cpuMsPer(gatewayCpu, r.acceptedPerSecond) * 1000)} | ${cpuCell(r.cpu)} |`;
}

function gatewaySection(report: BenchReport): string[] {
  const s = report.settings;
  const lines = [
    '### Gateway accepted messages/s vs a bare kafkajs producer (the ceiling), by message size',
    '',
    '| content size | producer | HTTP connections | messages/s | of ceiling | latency p50 / p99 / max (ms) | mean wait for Kafka ack (ms) | records per send | non-2xx / errors | gateway CPU per message (µs) | CPU (% of one core) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const t of report.throughput) {
    const c = t.ceiling;
    lines.push(
      `| ${sizeLabel(t.size)} | bare kafkajs producer (idempotent, acks=all, ${t.ceilingBatch} records per send, one partition per send, all partitions at once) | – | ${n0(c.perSecond)} | 100 % | ${latency(c.sendLatencyMs)} per send | ${ms(c.sendLatencyMs.mean)} | ${n1(c.records / c.sends)} | – | – | ${cpuCell(c.cpu)} |`,
      ...t.gateways.map((g) => gatewayRow(t, g)),
    );
  }
  lines.push(
    '',
    `Content sizes are ±20 % around the nominal size (ASCII); mean Avro value: ${report.throughput.map((t) => `${sizeLabel(t.size)} ${n0(t.meanValueBytes)} B`).join(', ')}. ` +
      `Gateway runs: autocannon in the bench process, closed loop (each connection sends its next request when the previous one is answered), ${s['durationS']} s after a ${s['warmupS']} s warm-up, ` +
      `at most ${s['maxRequests']} requests; the gateway variants are child processes (\`node --import tsx apps/gateway/src/main.ts\`, LOG_LEVEL=warn) running side by side, each loaded in turn, producing to a private topic shaped like wiber.messages ` +
      '(GATEWAY_TOPIC; 6 partitions, RF 3, min ISR 2); accepted = HTTP 202 after acks=all. "Mean wait for Kafka ack" is the gateway\'s own produce histogram (enqueue to acknowledgement). ' +
      '"Gateway CPU per message" = the gateway process\'s CPU time over the run / accepted messages. ' +
      `The ceiling sends the same Avro payloads to another private topic for ${s['durationS']} s after a ${s['warmupS']} s warm-up, at most ${s['ceilingBatch']} records and no more bytes than the gateway's PRODUCE_MAX_BATCH_BYTES (512 KiB) per send; its latency is per send() of a batch, not per HTTP request.`,
  );
  const before = report.variants.find((v) => v.key === 'before');
  const after = report.variants.find((v) => v.key === 'default');
  if (before !== undefined && after !== undefined) {
    lines.push('', `Before -> after (${before.label} -> ${after.label}):`, '');
    for (const t of report.throughput) {
      for (const connections of new Set(t.gateways.map((g) => g.connections))) {
        const b = t.gateways.find((g) => g.variant.key === 'before' && g.connections === connections);
        const a = t.gateways.find((g) => g.variant.key === 'default' && g.connections === connections);
        if (a === undefined || b === undefined) continue;
        const cpuB = cpuMsPer(b.result.cpu.processes['gateway'], b.result.acceptedPerSecond) * 1000;
        const cpuA = cpuMsPer(a.result.cpu.processes['gateway'], a.result.acceptedPerSecond) * 1000;
        lines.push(
          `- ${sizeLabel(t.size)}, ${connections} connections: ${n0(b.result.acceptedPerSecond)} -> ${n0(a.result.acceptedPerSecond)} accepted/s (${factor(a.result.acceptedPerSecond, b.result.acceptedPerSecond)}; ` +
            `${pct(ratioOf(b.result.acceptedPerSecond, t.ceiling.perSecond))} -> ${pct(ratioOf(a.result.acceptedPerSecond, t.ceiling.perSecond))} of the ceiling), ` +
            `p99 ${ms(b.result.latencyMs.p99)} -> ${ms(a.result.latencyMs.p99)} ms, gateway CPU per message ${ms(cpuB)} -> ${ms(cpuA)} µs.`,
        );
      }
    }
  }
  return lines;
}

function storedCell(h: HistogramSnapshot): string {
  if (h.count <= 0) return '–';
  const bound = (q: number) => ms(quantileUpperBound(h, q) * 1000);
  return `${ms((h.sum / h.count) * 1000)} / ≤ ${bound(0.5)} / ≤ ${bound(0.99)} (${h.count})`;
}

function endToEndSection(runs: SizeEndToEnd[], s: BenchReport['settings']): string[] {
  const row = ({ size, run: { result: r, stored } }: SizeEndToEnd) =>
    `| ${sizeLabel(size)} | ${n1(r.achievedRate)} | ${r.sent} / ${r.accepted} | ${storedCell(stored)} | ${r.probed > 0 ? `${r.probed} / ${r.readable} / ${r.notReadable}` : '–'} | ${r.gets > 0 ? latency(r.endToEndMs) : '–'} | ${latency(r.postLatencyMs)} | ${r.gets > 0 ? `${r.gets}, ${ms(r.getLatencyMs.p50)} / ${ms(r.getLatencyMs.p99)}` : '–'} | ${cpuCell(r.cpu)} |`;
  return [
    '### End-to-end latency at a fixed rate, by message size: POST accepted (202) -> stored, and -> readable by GET /messages/:a/:b',
    '',
    '| content size | rate (msg/s) | sent / accepted | stored: mean / p50 / p99 ms (messages), ingest histogram | polled / readable / not within 30 s | readable by GET p50 / p99 / max (ms) | POST p50 / p99 / max (ms) | GETs, GET p50 / p99 (ms) | CPU (% of one core) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...runs.map(row),
    '',
    `Open loop at ${s['e2eRate']} msg/s for ${s['e2eSeconds']} s per size, one new conversation per message, through the gateway (defaults) and an ingest-consumer child process (default settings) on a private group ` +
      'reading the gateway\'s private topic (committed at its end before it starts) and a private database, emptied (indexes kept) before each size. "Stored" is the ingest-consumer\'s own histogram ' +
      '`wiber_ingest_end_to_end_latency_seconds` (sentAt, set by the gateway before producing, to Mongo\'s acknowledgement): exact mean, percentiles only as bucket bounds. ' +
      `"Readable by GET": every ${s['e2eReadEvery']}th accepted message is polled from ${s['e2ePollMs']} ms after its 202, then every max(${s['e2ePollMs']} ms, a tenth of the time waited so far), at most ${s['e2eMaxGets']} GETs in flight in all; ` +
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
    `20 sequential GETs of existing conversations per size (100 B messages), documents inserted directly. The server's plan for the conversation query (explain): \`${r.plan}\`.`,
  ];
}

function ingestSection(ingest: SizeIngest[]): string[] {
  const lines = [
    '### Ingest stored messages/s vs a bare Mongo bulk insert (the ceiling), by message size and ingest-consumer instances',
    '',
    '| content size | writer | documents | seconds | messages/s | of best ceiling | CPU (% of one core) |',
    '|---|---|---:|---:|---:|---:|---|',
  ];
  for (const i of ingest) {
    const best = bestCeiling(i);
    lines.push(
      ...i.ceilings.map(
        (c) => `| ${sizeLabel(i.size)} | bare insertMany (unordered, w:majority, j:true), ${c.chunk} per call, one call at a time | ${c.documents} | ${n1(c.elapsedMs / 1000)} | ${n0(c.perSecond)} | ${pct(ratioOf(c.perSecond, best))} | ${cpuCell(c.cpu)} |`,
      ),
      ...i.runs.map(
        (r) =>
          `| ${sizeLabel(i.size)} | ingest-consumer × ${r.instances} (child process${r.instances > 1 ? 'es' : ''}, default settings, one group), ${r.watch.stored} stored afterwards; writing the topic took ${n1(r.produceMs / 1000)} s | ${r.watch.documents} | ${n1(r.watch.windowMs / 1000)} | ${n0(r.watch.perSecond)} | ${pct(ratioOf(r.watch.perSecond, best))} | ${cpuCell(r.watch.cpu)} |`,
      ),
    );
  }
  lines.push(
    '',
    'The same documents (the ingest mapping of the same records) into fresh databases with the same indexes. For each instance count, the consumers start on a fresh private topic ' +
      'shaped like wiber.messages (6 partitions) in a fresh group and wait until every instance holds its share of the partitions (no rebalance while measured); then the records are written. ' +
      'The consumers are timed by their own counters `wiber_ingest_messages_total` (inserted + duplicate, all instances added, polled every 100 ms) from the first poll after the writing ended ' +
      '(so they do not compete with the producer; "documents" is what was timed, the rest was stored while writing) to the first poll that saw all of them; the documents were counted once afterwards.',
  );
  return lines;
}

export function renderReport(report: BenchReport): string {
  const m = report.machine;
  const lines: string[] = [
    `## Results of ${report.startedAt}`,
    '',
    `Command: \`${report.command}\` (took ${Math.round(report.elapsedS)} s, not counting the wait for a quiet machine).`,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB.toFixed(1)} GiB memory, Linux ${m.kernel}, Node ${m.node}. ` +
      `Load average (1 / 5 / 15 min) before: ${load(m.loadBefore)}, after: ${load(m.loadAfter)}. ` +
      'Everything (3 Kafka brokers, registry, FerretDB, the apps and the load generator) shares these CPUs. ' +
      'CPU cells: each process group in % of one core over the measured interval (kafka = the three brokers; others = every other process on the machine), machine = busy share of all cores.',
    '',
    `Settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}. Gateway variants: ${report.variants.map((v) => `${v.key} = ${v.label}${Object.keys(v.env).length > 0 ? ` (${Object.entries(v.env).map(([k, v2]) => `${k}=${v2}`).join(', ')})` : ''}`).join('; ')}.`,
    '',
    ...summarySection(report),
    '',
    ...gatewaySection(report),
  ];
  if (report.endToEnd !== undefined) lines.push('', ...endToEndSection(report.endToEnd, report.settings));
  if (report.readCost !== undefined) lines.push('', ...readCostSection(report.readCost));
  if (report.ingest !== undefined) lines.push('', ...ingestSection(report.ingest));
  return lines.join('\n');
}
