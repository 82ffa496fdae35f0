import type { CpuUsage } from './cpu';
import type { MachineFacts } from '@wiber/testing';
import { cpuCell } from './report';
import type { Check, SoakSample } from './soak-checks';
import type { SoakOptions } from './soak-options';

export const SOAK_BEGIN = '<!-- soak:begin (written by `npm run soak`; edits inside are replaced) -->';
export const SOAK_END = '<!-- soak:end -->';

export interface SoakReport {
  command: string;
  startedAt: string;
  machine: MachineFacts;
  loadAfter: number[];
  options: SoakOptions;
  lagBound: number;
  samples: SoakSample[];
  checks: Check[];
  cpu: CpuUsage;
  errorExamples: string[];
  passed: boolean;
}

export function renderSoak(r: SoakReport): string {
  const apps = Object.keys(r.samples[0]?.rssMiB ?? {});
  const o = r.options;
  return [
    `## Soak of ${r.startedAt}: ${r.passed ? 'all checks passed' : 'A CHECK FAILED'}`,
    '',
    `Command: \`${r.command}\`. ${o.rate} messages/s (open loop, ${o.contentBytes}-character content, 1,000 users) for ${o.minutes} min through the gateway, ` +
      'an ingest-consumer and leader-metrics (child processes, LOG_LEVEL=info, private topic, DLQ, groups and database) on the local stack; ' +
      `machine: ${r.machine.cpus} CPUs, Node ${r.machine.node}, load average after ${r.loadAfter.join(' / ')}.`,
    '',
    '| check | result | detail |',
    '|---|---|---|',
    ...r.checks.map((c) => `| ${c.name} | ${c.passed ? 'pass' : '**FAIL**'} | ${c.detail} |`),
    '',
    `Definitions: lag = records of the private topic the ingest group has not committed (admin API: high watermark − committed offset, summed over partitions), bound = rate × ${o.maxLagSeconds} s = ${r.lagBound} records in every sample. ` +
      `Memory is flat when, after a ${o.warmupSeconds} s warm-up, the RSS (/proc/<pid>/status VmRSS; median of the last three samples) at the end is at most ${o.rssSlackMib} MiB above its start (median of the first three post-warm-up samples) and the least-squares slope of the post-warm-up samples is at most ${o.maxSlopeMib} MiB/min. ` +
      'Error logs = JSON log lines with level "error" on each app\'s stdout. Stored = every messageId answered 202 is found in Mongo after the lag drained.',
    '',
    `CPU over the sending period (% of one core): ${cpuCell(r.cpu)}.`,
    '',
    `| seconds | accepted | lag | ${apps.map((a) => `${a} RSS (MiB)`).join(' | ')} | error lines |`,
    `|---:|---:|---:|${apps.map(() => '---:').join('|')}|---:|`,
    ...r.samples.map(
      (s) =>
        `| ${s.atS.toFixed(0)} | ${s.accepted} | ${s.lag} | ${apps.map((a) => (s.rssMiB[a] ?? Number.NaN).toFixed(0)).join(' | ')} | ${Object.values(s.errors).reduce((a, b) => a + b, 0)} |`,
    ),
    ...(r.errorExamples.length > 0 ? ['', 'First error lines:', '', ...r.errorExamples.map((l) => `    ${l}`)] : []),
  ].join('\n');
}
