import { sleep, waitFor } from '@wiber/testing';
import { isReady, startApp, stopApp, untilReady, type RunningApp } from './apps';
import { RetryingClient, type SendOutcome } from './client';
import { tally, timings as messageTimings, type Tally } from './counting';
import { runNames } from './names';
import { RunResources } from './pipeline';
import { baselineLatencies, healthyBoundMs, percentile, recoveryMs } from './recovery';
import type { ScenarioResult } from './report';
import { SCENARIOS, type FaultRecord, type ScenarioName } from './scenarios';
import { restoreStack, stoppedStackProcesses, waitStackHealthy } from './stack-control';
import { MessageStream } from './stream';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import type { Timings } from './timings';
import { passed, type Check } from './verdict';

export interface RunOptions {
  timings: Timings;
  /** the command line that reproduces this scenario alone */
  command: string;
  log: (line: string) => void;
}

const EMPTY_TALLY: Tally = { sent: 0, acknowledged: 0, unacknowledged: 0, rejected: 0, stored: 0, lost: 0, duplicates: 0, lostKeys: [], duplicateKeys: [] };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
}

async function startApps(
  scenario: ScenarioName,
  resources: RunResources,
  timings: Timings,
  started: RunningApp[],
): Promise<{ gateways: RunningApp[]; ingestConsumers: RunningApp[]; leaders: RunningApp[] }> {
  const { topology } = SCENARIOS[scenario];
  const { names } = resources;
  const ingestEnv: Record<string, string> = timings.ingestSessionTimeoutMs === undefined ? {} : { INGEST_SESSION_TIMEOUT_MS: String(timings.ingestSessionTimeoutMs) };
  const leaderEnv: Record<string, string> = timings.leaderSessionTimeoutMs === undefined ? {} : { LEADER_SESSION_TIMEOUT_MS: String(timings.leaderSessionTimeoutMs) };
  const track = async (app: Promise<RunningApp>) => {
    const running = await app;
    started.push(running);
    return running;
  };
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  // in parallel: on two cores each app takes a few seconds to load
  const [gateways, ingestConsumers, leaders] = await Promise.all([
    Promise.all(range(topology.gateways).map((i) => track(startApp('gateway', names, `${scenario}-gw${i + 1}`)))),
    Promise.all(range(topology.ingestConsumers).map((i) => track(startApp('ingest-consumer', names, `${scenario}-ingest${i + 1}`, ingestEnv)))),
    Promise.all(range(topology.leaders).map((i) => track(startApp('leader-metrics', names, `${scenario}-lm${i + 1}`, leaderEnv)))),
  ]);
  return { gateways, ingestConsumers, leaders };
}

/** Waits until every message the gateway acknowledged (and any it stored anyway) is in Mongo, or the timeout. */
async function drain(resources: RunResources, acknowledged: number, timeoutMs: number): Promise<boolean> {
  try {
    await waitFor('the pipeline to store every acknowledged message', async () => (await resources.storedCount()) >= acknowledged, timeoutMs, 500);
    // a moment more, so a late duplicate (a redelivered batch) would be seen too
    await sleep(1_000);
    return true;
  } catch {
    return false;
  }
}

/**
 * One scenario end to end: private names, the apps as child processes, a steady stream, the
 * fault (which restores what it broke), the rest of the stream, the drain, the counts, and
 * checks that the survivors and the stack are healthy. Cleans up whatever happens.
 */
export async function runScenario(name: ScenarioName, options: RunOptions): Promise<ScenarioResult> {
  const scenario = SCENARIOS[name];
  const { timings, log } = options;
  const began = Date.now();
  const resources = new RunResources(runNames(name));
  const apps: RunningApp[] = [];
  const checks: Check[] = [];
  const notes: string[] = [];
  let fault: FaultRecord | undefined;
  let outcomes: SendOutcome[] = [];
  let counts = EMPTY_TALLY;
  let deadLetters = 0;
  let recovery: number | undefined;
  /** when the scenario began to act (a burst, a kill...): the healthy baseline ends here */
  let actingAt = Number.POSITIVE_INFINITY;
  try {
    const restoredBefore = await restoreStack();
    if (restoredBefore.length > 0) log(`the stack was missing ${restoredBefore.join(', ')} before the scenario; restarted`);
    await resources.create(scenario.topology.leaders > 0);
    log(`private topic ${resources.names.topic}, database ${resources.names.database}; starting apps`);
    const { gateways, ingestConsumers, leaders } = await startApps(name, resources, timings, apps);
    const client = new RetryingClient(
      gateways.map((g) => g.url),
      { ...DEFAULT_RETRY_POLICY, giveUpAfterMs: timings.giveUpAfterMs },
    );
    const stream = new MessageStream(client, { rate: timings.rate, runId: resources.names.runId });
    log(`stream of ${timings.rate} messages/s started`);
    stream.start();
    try {
      await sleep(timings.baselineMs);
      actingAt = Date.now();
      try {
        fault = await scenario.inject({ resources, gateways, ingestConsumers, leaders, client, stream, timings, log });
      } finally {
        const restarted = await restoreStack();
        if (restarted.length > 0) checks.push({ what: 'the scenario restored the stack itself', ok: false, detail: `had to restart ${restarted.join(', ')}` });
      }
      log(`fault over; stream goes on for ${timings.afterMs / 1000} s`);
      await sleep(timings.afterMs);
    } finally {
      outcomes = await stream.stop();
    }
    const acknowledged = outcomes.filter((o) => o.status === 'acknowledged').length;
    log(`stream stopped: ${outcomes.length} sent, ${acknowledged} acknowledged; waiting for the pipeline to drain`);
    const drained = await drain(resources, acknowledged, timings.drainTimeoutMs);
    const stored = await resources.storedMessages();
    deadLetters = await resources.deadLetters();
    counts = tally(outcomes, stored);
    const perMessage = messageTimings(outcomes, stored);
    const baseline = baselineLatencies(perMessage, actingAt);
    const bound = healthyBoundMs(baseline, timings.healthyFloorMs);
    recovery = fault.measuredRecoveryMs ?? recoveryMs(perMessage, fault.referenceAt, bound);
    notes.push(
      `baseline send-to-stored latency p50 ${Math.round(percentile(baseline, 50))} ms, p99 ${Math.round(percentile(baseline, 99))} ms; healthy bound ${bound} ms`,
      `max attempts for one message: ${Math.max(0, ...outcomes.map((o) => o.attempts))}; messages that needed a retry: ${outcomes.filter((o) => o.attempts > 1).length}`,
      ...fault.notes,
    );
    const referenceAt = fault.referenceAt;
    const backlog = perMessage.filter((m) => m.firstAttemptAt < referenceAt).map((m) => m.completedAt ?? Number.POSITIVE_INFINITY);
    const backlogDone = backlog.length === 0 ? undefined : Math.max(...backlog);
    if (backlogDone !== undefined && Number.isFinite(backlogDone)) {
      const after = backlogDone - referenceAt;
      notes.push(
        after > 0
          ? `the messages sent before the reference were all acknowledged and stored ${(after / 1000).toFixed(2)} s after it`
          : 'the messages sent before the reference were all acknowledged and stored before it',
      );
    }
    checks.push(...fault.checks);
    checks.push({ what: 'every acknowledged message stored within the drain time', ok: drained, detail: drained ? undefined : `${counts.stored} stored` });
    checks.push({
      what: 'every message acknowledged (the client retried until the give-up time)',
      ok: counts.acknowledged === counts.sent,
      detail: counts.acknowledged === counts.sent ? undefined : `${counts.unacknowledged} unacknowledged, ${counts.rejected} rejected`,
    });
    checks.push({ what: 'recovered', ok: recovery !== undefined });
    if (fault.afterDrain !== undefined) {
      const extra = await fault.afterDrain();
      notes.push(...extra.notes);
      checks.push(...extra.checks);
    }
    const survivors = apps.filter((a) => !(fault?.killed ?? []).includes(a));
    const notReady: string[] = [];
    for (const app of survivors) {
      if (!app.app.isRunning()) notReady.push(`${app.id} exited`);
      else if (!(await isReady(app))) await untilReady(app, 60_000).catch(() => notReady.push(`${app.id} not ready`));
    }
    checks.push({ what: `the other apps stayed up and ready without a restart (${survivors.map((a) => a.id).join(', ')})`, ok: notReady.length === 0, detail: notReady.join(', ') || undefined });
    const stopped = await stoppedStackProcesses();
    await waitStackHealthy(60_000);
    await resources.waitFullIsr(120_000).then(
      () => checks.push({ what: 'stack healthy afterwards (every process up, every replica of the run topic in sync)', ok: stopped.length === 0, detail: stopped.join(', ') || undefined }),
      (error: unknown) => checks.push({ what: 'stack healthy afterwards', ok: false, detail: messageOf(error) }),
    );
  } catch (error) {
    checks.push({ what: 'the scenario ran to its end', ok: false, detail: messageOf(error) });
    log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    await Promise.all(apps.map((a) => stopApp(a).catch(() => undefined)));
    const restarted = await restoreStack().catch((error: unknown) => [`restore failed: ${messageOf(error)}`]);
    if (restarted.length > 0) checks.push({ what: 'the stack needed no restore after the scenario', ok: false, detail: restarted.join(', ') });
    const leftovers = await resources.cleanUp();
    if (leftovers.length > 0) log(`cleanup: ${leftovers.join('; ')}`);
  }
  const result: ScenarioResult = {
    name,
    title: scenario.title,
    fault: fault?.description ?? 'not injected',
    tally: counts,
    deadLetters,
    recoveryMs: recovery,
    recoveryBasis: fault?.recoveryBasis ?? 'not measured',
    checks,
    passed: false,
    command: options.command,
    durationS: (Date.now() - began) / 1000,
    notes,
  };
  result.passed = fault !== undefined && passed(counts, checks);
  return result;
}
