/** Every Kafka, Mongo and registry name one scenario run uses, so its counts are exact and nothing is shared. */
export interface RunNames {
  runId: string;
  /** shaped like wiber.messages (6 partitions, RF 3, min ISR 2): the gateway writes it, the ingest-consumer reads it */
  topic: string;
  dlqTopic: string;
  ingestGroupId: string;
  /** the ingest-consumer's private database */
  database: string;
  leaderGroupId: string;
  electionTopic: string;
  metricsTopic: string;
  replayerGroupId: string;
}

/** A short id unique enough for one machine: base-36 time plus 4 random base-36 characters. */
export function newRunId(now: number = Date.now(), random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${now.toString(36)}${suffix}`;
}

export function runNames(scenario: string, runId: string = newRunId()): RunNames {
  const base = `chaos.${scenario}.${runId}`;
  return {
    runId,
    topic: `${base}.messages`,
    dlqTopic: `${base}.dlq`,
    ingestGroupId: `${base}.ingest`,
    database: `chaos_${scenario.replace(/[^a-z0-9]/gi, '_')}_${runId}`,
    leaderGroupId: `${base}.leader`,
    electionTopic: `${base}.election`,
    metricsTopic: `${base}.metrics`,
    replayerGroupId: `${base}.replayer`,
  };
}
