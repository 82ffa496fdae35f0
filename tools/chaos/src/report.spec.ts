import { BEGIN_MARKER, END_MARKER, formatRecovery, renderReport, renderTable, spliceSection, summaryLine, type ChaosReport, type ScenarioResult } from './report';

const result = (overrides: Partial<ScenarioResult> = {}): ScenarioResult => ({
  name: 'broker-kill',
  title: 'Kafka broker kill -9',
  fault: 'kafka-2 (leader of 3/6 partitions) kill -9',
  tally: { sent: 1200, acknowledged: 1200, unacknowledged: 0, rejected: 0, stored: 1200, lost: 0, duplicates: 0, lostKeys: [], duplicateKeys: [] },
  deadLetters: 0,
  recoveryMs: 4_321,
  recoveryBasis: 'from the kill',
  checks: [{ what: 'recovered', ok: true }],
  passed: true,
  command: 'npm run chaos -- broker-kill',
  durationS: 70,
  notes: ['baseline p99 80 ms'],
  ...overrides,
});

describe('renderTable', () => {
  it('has one row per scenario with every count, the recovery, the verdict and the command', () => {
    const table = renderTable([result(), result({ name: 'mongo-stop', title: 'Mongo stopped', recoveryMs: undefined, passed: false, tally: { ...result().tally, lost: 2 } })]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('| scenario | fault | sent | acknowledged | stored | lost | duplicated | dead letters | recovery | result | reproduce |');
    expect(lines[2]).toBe('| Kafka broker kill -9 | kafka-2 (leader of 3/6 partitions) kill -9 | 1,200 | 1,200 | 1,200 | 0 | 0 | 0 | 4.32 s | pass | `npm run chaos -- broker-kill` |');
    expect(lines[3]).toContain('| 2 | 0 | 0 | not recovered | **FAIL** |');
  });
});

describe('formatRecovery', () => {
  it('shows seconds, with two decimals below ten', () => {
    expect(formatRecovery(250)).toBe('0.25 s');
    expect(formatRecovery(31_460)).toBe('31.5 s');
    expect(formatRecovery(undefined)).toBe('not recovered');
  });
});

describe('summaryLine', () => {
  it('names the failed checks', () => {
    const line = summaryLine(result({ passed: false, checks: [{ what: 'stack healthy afterwards', ok: false, detail: 'kafka-2' }] }));
    expect(line).toBe('FAIL broker-kill: sent 1200, acknowledged 1200, stored 1200, lost 0, duplicates 0, dead letters 0, recovery 4.32 s — failed: stack healthy afterwards (kafka-2)');
  });
});

describe('renderReport and spliceSection', () => {
  const report: ChaosReport = {
    command: 'npm run chaos',
    startedAt: '2025-11-23T05:00:00.000Z',
    elapsedS: 600,
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 7.8, node: 'v20.19.0', kernel: '6.1' },
    loadBefore: [0.5],
    loadAfter: [1.5],
    rate: 25,
    results: [result()],
  };

  it('states the run, the machine, the table and each scenario with its checks', () => {
    const text = renderReport(report);
    expect(text).toContain('1 of 1 scenarios passed');
    expect(text).toContain('2 × Test CPU, 7.8 GiB');
    expect(text).toContain('| Kafka broker kill -9 |');
    expect(text).toContain('  - ✓ recovered');
    expect(text).toContain('  - baseline p99 80 ms');
  });

  it('replaces only the generated section, keeping the text around it', () => {
    const first = spliceSection('# Reliability\n\nprose\n', 'one');
    expect(first).toBe(`# Reliability\n\nprose\n\n${BEGIN_MARKER}\none\n${END_MARKER}\n`);
    const second = spliceSection(`${first}\nnotes after\n`, 'two');
    expect(second).toBe(`# Reliability\n\nprose\n\n${BEGIN_MARKER}\ntwo\n${END_MARKER}\n\nnotes after\n`);
  });
});
