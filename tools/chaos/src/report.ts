import type { MachineFacts } from '@wiber/testing';
import type { Tally } from './counting';
import type { Check } from './verdict';

export interface ScenarioResult {
  name: string;
  title: string;
  /** what was done, with the victim and the durations */
  fault: string;
  tally: Tally;
  deadLetters: number;
  /** undefined: did not recover while measured */
  recoveryMs: number | undefined;
  /** what the recovery time is counted from and to */
  recoveryBasis: string;
  checks: Check[];
  passed: boolean;
  /** reproduces this one scenario */
  command: string;
  durationS: number;
  notes: string[];
}

export interface ChaosReport {
  command: string;
  startedAt: string;
  elapsedS: number;
  machine: MachineFacts;
  loadBefore: number[];
  loadAfter: number[];
  rate: number;
  results: ScenarioResult[];
}

export const BEGIN_MARKER = '<!-- chaos:begin (written by `npm run chaos`; edits inside are replaced) -->';
export const END_MARKER = '<!-- chaos:end -->';

/** Replaces the generated section of `existing` (or appends one), keeping everything around it. */
export function spliceSection(existing: string, section: string): string {
  const block = `${BEGIN_MARKER}\n${section.trimEnd()}\n${END_MARKER}`;
  const begin = existing.indexOf(BEGIN_MARKER);
  const end = existing.indexOf(END_MARKER);
  if (begin >= 0 && end > begin) return existing.slice(0, begin) + block + existing.slice(end + END_MARKER.length);
  const base = existing.trimEnd();
  return `${base.length > 0 ? `${base}\n\n` : ''}${block}\n`;
}

const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function formatRecovery(ms: number | undefined): string {
  if (ms === undefined) return 'not recovered';
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line per scenario for the terminal. */
export function summaryLine(r: ScenarioResult): string {
  const t = r.tally;
  return (
    `${r.passed ? 'PASS' : 'FAIL'} ${r.name}: sent ${t.sent}, acknowledged ${t.acknowledged}, stored ${t.stored}, lost ${t.lost}, ` +
    `duplicates ${t.duplicates}, dead letters ${r.deadLetters}, recovery ${formatRecovery(r.recoveryMs)}` +
    (r.checks.some((c) => !c.ok) ? ` — failed: ${r.checks.filter((c) => !c.ok).map((c) => `${c.what}${c.detail ? ` (${c.detail})` : ''}`).join('; ')}` : '')
  );
}

export function renderTable(results: readonly ScenarioResult[]): string {
  const lines = [
    '| scenario | fault | sent | acknowledged | stored | lost | duplicated | dead letters | recovery | result | reproduce |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|',
  ];
  for (const r of results) {
    const t = r.tally;
    lines.push(
      `| ${cell(r.title)} | ${cell(r.fault)} | ${n0(t.sent)} | ${n0(t.acknowledged)} | ${n0(t.stored)} | ${n0(t.lost)} | ${n0(t.duplicates)} | ` +
        `${n0(r.deadLetters)} | ${formatRecovery(r.recoveryMs)} | ${r.passed ? 'pass' : '**FAIL**'} | \`${cell(r.command)}\` |`,
    );
  }
  return lines.join('\n');
}

export function renderReport(report: ChaosReport): string {
  const m = report.machine;
  const passedCount = report.results.filter((r) => r.passed).length;
  const out = [
    `### Results of \`${report.command}\``,
    '',
    `Run ${report.startedAt}, ${(report.elapsedS / 60).toFixed(1)} min; ${passedCount} of ${report.results.length} scenarios passed. ` +
      `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB.toFixed(1)} GiB, Node ${m.node}, Linux ${m.kernel}; ` +
      `load average before ${report.loadBefore.join(' / ')}, after ${report.loadAfter.join(' / ')}. Stream: ${report.rate} messages/s.`,
    '',
    renderTable(report.results),
    '',
    '#### Per scenario',
    '',
  ];
  for (const r of report.results) {
    out.push(`- **${r.title}** (\`${r.name}\`, ${r.durationS.toFixed(0)} s) — ${r.fault}. Recovery: ${formatRecovery(r.recoveryMs)}, ${r.recoveryBasis}.`);
    const t = r.tally;
    const extra = [
      ...(t.unacknowledged > 0 ? [`${t.unacknowledged} never acknowledged`] : []),
      ...(t.rejected > 0 ? [`${t.rejected} rejected with a 4xx`] : []),
      ...(t.lostKeys.length > 0 ? [`lost e.g. ${t.lostKeys.join(', ')}`] : []),
      ...(t.duplicateKeys.length > 0 ? [`duplicated e.g. ${t.duplicateKeys.join(', ')}`] : []),
    ];
    for (const note of [...r.notes, ...extra]) out.push(`  - ${note}`);
    for (const check of r.checks) out.push(`  - ${check.ok ? '✓' : '✗'} ${check.what}${check.detail ? `: ${check.detail}` : ''}`);
  }
  return out.join('\n');
}

/** The start of a new report file; RELIABILITY.md carries a fuller hand-written header. */
export const DEFAULT_HEADER = '# Reliability\n\nFault-injection results of `npm run chaos` (tools/chaos).\n';
