import { sleep, waitFor } from '@wiber/testing';
import { scrapeMetrics, type RunningApp } from './apps';
import type { RetryingClient } from './client';
import { brokerLeadingMost, metricSum, metricValue } from './leaders';
import type { RunResources } from './pipeline';
import type { MessageStream } from './stream';
import {
  brokerName,
  freezeProcess,
  isFrozen,
  killProcess,
  MONGO_PROCESS,
  REGISTRY_PROCESS,
  restartStackProcess,
  stopStackProcess,
  thawProcess,
} from './stack-control';
import { seconds, type Timings } from './timings';
import type { Check } from './verdict';

export const SCENARIO_NAMES = ['broker-kill', 'broker-freeze', 'ingest-kill', 'mongo-stop', 'registry-stop', 'gateway-kill', 'leader-kill'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

/** What a scenario gets to work with while the stream runs. */
export interface FaultContext {
  resources: RunResources;
  gateways: RunningApp[];
  ingestConsumers: RunningApp[];
  leaders: RunningApp[];
  client: RetryingClient;
  stream: MessageStream;
  timings: Timings;
  log: (line: string) => void;
}

/** What a scenario did. */
export interface FaultRecord {
  startedAt: number;
  endedAt: number;
  /** recovery is counted from here: the fault's end, or its start for a kill */
  referenceAt: number;
  description: string;
  recoveryBasis: string;
  /** apps the scenario killed on purpose (not expected to be running afterwards) */
  killed: RunningApp[];
  /** a recovery measured by the scenario itself (leader failover) instead of from the stream */
  measuredRecoveryMs?: number | undefined;
  notes: string[];
  checks: Check[];
  /** read after the pipeline drained (e.g. counters of the survivors) */
  afterDrain?: () => Promise<{ notes: string[]; checks: Check[] }>;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  /** one sentence for --help and the report */
  summary: string;
  topology: { gateways: number; ingestConsumers: number; leaders: number };
  inject(ctx: FaultContext): Promise<FaultRecord>;
}

async function mostLeadingBroker(ctx: FaultContext): Promise<{ name: string; partitions: number; of: number }> {
  const partitions = await ctx.resources.partitionLeaders();
  const most = brokerLeadingMost(partitions);
  return { name: brokerName(most.brokerId), partitions: most.partitions, of: partitions.length };
}

const brokerKill: Scenario = {
  name: 'broker-kill',
  title: 'Kafka broker kill -9',
  summary: 'kill -9 the broker leading most partitions of the run topic, restart it later with the local-stack process spec',
  topology: { gateways: 1, ingestConsumers: 1, leaders: 0 },
  async inject(ctx) {
    const victim = await mostLeadingBroker(ctx);
    ctx.log(`kill -9 ${victim.name} (leads ${victim.partitions} of ${victim.of} partitions)`);
    const startedAt = Date.now();
    await killProcess(victim.name);
    let endedAt = startedAt;
    let restartMs = 0;
    try {
      await sleep(ctx.timings.brokerDownMs);
    } finally {
      endedAt = Date.now();
      ctx.log(`restarting ${victim.name}`);
      await restartStackProcess(victim.name);
      restartMs = Date.now() - endedAt;
    }
    return {
      startedAt,
      endedAt,
      referenceAt: startedAt,
      description: `${victim.name} (leader of ${victim.partitions}/${victim.of} partitions) kill -9, restarted after ${seconds(ctx.timings.brokerDownMs)}`,
      recoveryBasis: 'from the kill until messages were again acknowledged and stored within the healthy bound',
      killed: [],
      notes: [`${victim.name} was healthy again ${seconds(restartMs)} after its restart began`],
      checks: [],
    };
  },
};

const brokerFreeze: Scenario = {
  name: 'broker-freeze',
  title: 'Kafka broker frozen (SIGSTOP)',
  summary: 'SIGSTOP the broker leading most partitions of the run topic (a frozen node), then SIGCONT',
  topology: { gateways: 1, ingestConsumers: 1, leaders: 0 },
  async inject(ctx) {
    const victim = await mostLeadingBroker(ctx);
    ctx.log(`SIGSTOP ${victim.name} (leads ${victim.partitions} of ${victim.of} partitions) for ${seconds(ctx.timings.brokerFrozenMs)}`);
    const startedAt = Date.now();
    await freezeProcess(victim.name);
    const checks: Check[] = [];
    let endedAt = startedAt;
    try {
      checks.push({ what: `${victim.name} was really stopped (state T)`, ok: await isFrozen(victim.name) });
      await sleep(ctx.timings.brokerFrozenMs);
    } finally {
      await thawProcess(victim.name);
      endedAt = Date.now();
    }
    return {
      startedAt,
      endedAt,
      referenceAt: endedAt,
      description: `${victim.name} (leader of ${victim.partitions}/${victim.of} partitions) SIGSTOP for ${seconds(ctx.timings.brokerFrozenMs)}, then SIGCONT`,
      recoveryBasis: 'from SIGCONT until messages were again acknowledged and stored within the healthy bound',
      killed: [],
      notes: [],
      checks,
    };
  },
};

async function assignedPartitions(app: RunningApp): Promise<number | undefined> {
  const text = await scrapeMetrics(app);
  return text === undefined ? undefined : metricValue(text, 'wiber_ingest_assigned_partitions');
}

async function ingestCount(app: RunningApp, result: 'inserted' | 'duplicate', timeoutMs = 500): Promise<number | undefined> {
  const text = await scrapeMetrics(app, timeoutMs);
  return text === undefined ? undefined : metricSum(text, 'wiber_ingest_messages_total', `result="${result}"`);
}

/**
 * Lands a kill provably inside a batch: Mongo (FerretDB) is paused with SIGSTOP, a burst of
 * messages is sent, and once the victim has fetched records and so is waiting for its
 * insertMany to be acknowledged (nothing of that batch committed), it is killed; then Mongo
 * resumes. The pause (~2 s) is far below the ingest-consumer's write timeout.
 */
async function killMidBatch(ctx: FaultContext, victim: RunningApp): Promise<{ at: number; burst: number; mongoPausedMs: number }> {
  const burst = Math.max(60, Math.round(ctx.timings.rate * 4));
  const pausedAt = Date.now();
  await freezeProcess(MONGO_PROCESS);
  let at = pausedAt;
  try {
    ctx.stream.burst(burst);
    // the gateway acknowledges within ms; the victim fetches within INGEST_FETCH_MAX_WAIT_MS (500 ms)
    await sleep(1_500);
    at = Date.now();
    victim.app.signal('SIGKILL');
    await victim.app.exited;
    await sleep(300);
  } finally {
    await thawProcess(MONGO_PROCESS);
  }
  return { at, burst, mongoPausedMs: Date.now() - pausedAt };
}

const ingestKill: Scenario = {
  name: 'ingest-kill',
  title: 'ingest-consumer kill -9 (of 2)',
  summary: 'two ingest-consumers share the group; kill -9 the one with more partitions while batches flow; the other takes over (the killed one is not restarted)',
  topology: { gateways: 1, ingestConsumers: 2, leaders: 0 },
  async inject(ctx) {
    const [first, second] = ctx.ingestConsumers;
    if (first === undefined || second === undefined) throw new Error('two ingest-consumers expected');
    const counts = await waitFor(
      'both ingest-consumers to have partitions',
      async () => {
        const [a, b] = await Promise.all([assignedPartitions(first), assignedPartitions(second)]);
        return a !== undefined && b !== undefined && a > 0 && b > 0 && a + b === 6 ? { a, b } : undefined;
      },
      60_000,
      250,
    );
    const [victim, survivor] = counts.a >= counts.b ? [first, second] : [second, first];
    const victimPartitions = Math.max(counts.a, counts.b);
    const survivorDuplicatesBefore = (await ingestCount(survivor, 'duplicate')) ?? 0;
    const kill = await killMidBatch(ctx, victim);
    const startedAt = kill.at;
    ctx.log(`kill -9 ${victim.id} (${victimPartitions} of 6 partitions) while its insert of a burst of ${kill.burst} messages waited on paused Mongo`);
    await victim.app.exited;
    await sleep(ctx.timings.ingestObserveMs);
    const endedAt = Date.now();
    return {
      startedAt,
      endedAt,
      referenceAt: startedAt,
      description: `${victim.id} (${victimPartitions} of 6 partitions) kill -9 mid-batch (while its insertMany of a burst of ${kill.burst} waited on Mongo, paused with SIGSTOP for ${seconds(kill.mongoPausedMs)} around the kill); ${survivor.id} takes over; not restarted`,
      recoveryBasis: `from the kill until messages were again acknowledged and stored within the healthy bound (includes the session timeout, ${seconds(ctx.timings.ingestSessionTimeoutMs ?? 30_000)})`,
      killed: [victim],
      notes: [],
      checks: [],
      afterDrain: async () => {
        const survivorPartitions = await assignedPartitions(survivor);
        const redelivered = ((await ingestCount(survivor, 'duplicate')) ?? 0) - survivorDuplicatesBefore;
        return {
          notes: [
            redelivered > 0
              ? `${survivor.id} was redelivered ${redelivered} records that Mongo had stored from the insert of the killed ${victim.id} (never committed) and stored none twice`
              : `${survivor.id} found no record already stored: Mongo did not execute the killed instance's pending insert, so the survivor inserted that batch itself`,
          ],
          checks: [{ what: `${survivor.id} holds all 6 partitions`, ok: survivorPartitions === 6, detail: `${String(survivorPartitions)}` }],
        };
      },
    };
  },
};

function stopAndStart(name: 'mongo-stop' | 'registry-stop', processName: string, title: string, label: string, downMs: (t: Timings) => number): Scenario {
  return {
    name,
    title,
    summary: `stop the ${label} process of the stack (SIGTERM), start it again after the outage`,
    topology: { gateways: 1, ingestConsumers: 1, leaders: 0 },
    async inject(ctx) {
      const down = downMs(ctx.timings);
      ctx.log(`stopping ${processName} for ${seconds(down)}`);
      const startedAt = Date.now();
      await stopStackProcess(processName);
      const stoppedMs = Date.now() - startedAt;
      let endedAt = startedAt;
      let restartMs = 0;
      try {
        await sleep(Math.max(0, down - stoppedMs));
      } finally {
        const restartAt = Date.now();
        ctx.log(`starting ${processName}`);
        await restartStackProcess(processName);
        endedAt = Date.now();
        restartMs = endedAt - restartAt;
      }
      return {
        startedAt,
        endedAt,
        referenceAt: endedAt,
        description: `${label} (process \`${processName}\`) stopped for ${seconds(down)}, then started`,
        recoveryBasis: `from ${label} answering again (${seconds(restartMs)} after its start) until messages were again acknowledged and stored within the healthy bound`,
        killed: [],
        notes: [],
        checks: [],
      };
    },
  };
}

const mongoStop = stopAndStart('mongo-stop', MONGO_PROCESS, 'Mongo (FerretDB) stopped', 'Mongo (FerretDB)', (t) => t.mongoDownMs);
const registryStop = stopAndStart('registry-stop', REGISTRY_PROCESS, 'Schema Registry stopped', 'Schema Registry', (t) => t.registryDownMs);

const gatewayKill: Scenario = {
  name: 'gateway-kill',
  title: 'gateway kill -9 (of 2)',
  summary: 'kill -9 the gateway the client uses while requests are in flight; the client retries on a second gateway with the same Idempotency-Keys',
  topology: { gateways: 2, ingestConsumers: 1, leaders: 0 },
  async inject(ctx) {
    const [victim, other] = ctx.gateways;
    if (victim === undefined || other === undefined) throw new Error('two gateways expected');
    const inFlight = await waitFor(`requests in flight to ${victim.id}`, () => ctx.client.inFlight(victim.url) || undefined, 10_000, 1);
    const startedAt = Date.now();
    victim.app.signal('SIGKILL');
    ctx.log(`kill -9 ${victim.id} with ${inFlight} request(s) in flight`);
    await victim.app.exited;
    await sleep(ctx.timings.gatewayObserveMs);
    return {
      startedAt,
      endedAt: Date.now(),
      referenceAt: startedAt,
      description: `${victim.id} kill -9 with ${inFlight} request(s) in flight; the client moves to ${other.id}; not restarted`,
      recoveryBasis: 'from the kill until messages were again acknowledged (by the other gateway) and stored within the healthy bound',
      killed: [victim],
      notes: [`${inFlight} request(s) were in flight to ${victim.id} when it was killed`],
      checks: [],
    };
  },
};

async function leaderReadings(leaders: readonly RunningApp[]): Promise<Array<{ app: RunningApp; leader: number | undefined }>> {
  return Promise.all(
    leaders.map(async (app) => {
      const text = app.app.isRunning() ? await scrapeMetrics(app, 500) : undefined;
      return { app, leader: text === undefined ? undefined : metricValue(text, 'wiber_leader') };
    }),
  );
}

const leaderKill: Scenario = {
  name: 'leader-kill',
  title: 'leader-metrics leader kill -9 (of 3)',
  summary: 'three leader-metrics instances; kill -9 the one reporting wiber_leader 1 and time until another one does',
  topology: { gateways: 1, ingestConsumers: 1, leaders: 3 },
  async inject(ctx) {
    const leader = await waitFor(
      'exactly one leader-metrics instance to lead',
      async () => {
        const readings = await leaderReadings(ctx.leaders);
        const leading = readings.filter((r) => r.leader === 1);
        return readings.every((r) => r.leader !== undefined) && leading.length === 1 ? leading[0]?.app : undefined;
      },
      60_000,
      100,
    );
    const others = ctx.leaders.filter((l) => l !== leader);
    ctx.log(`kill -9 the leader ${leader.id}`);
    const startedAt = Date.now();
    leader.app.signal('SIGKILL');
    let twoLeadersSeen = 0;
    const successor = await waitFor(
      'another instance to report wiber_leader 1',
      async () => {
        const leading = (await leaderReadings(others)).filter((r) => r.leader === 1);
        if (leading.length > 1) twoLeadersSeen++;
        return leading[0]?.app;
      },
      60_000,
      50,
    );
    const failoverMs = Date.now() - startedAt;
    ctx.log(`${successor.id} leads ${failoverMs} ms after the kill`);
    await sleep(Math.max(0, ctx.timings.leaderObserveMs - failoverMs));
    const final = await leaderReadings(others);
    const leadingNow = final.filter((r) => r.leader === 1).map((r) => r.app.id);
    return {
      startedAt,
      endedAt: Date.now(),
      referenceAt: startedAt,
      description: `${leader.id} (the leader) kill -9; ${successor.id} took over; not restarted`,
      recoveryBasis: `leader failover: from the kill until another instance's /metrics showed wiber_leader 1 (session timeout ${seconds(ctx.timings.leaderSessionTimeoutMs ?? 10_000)})`,
      killed: [leader],
      measuredRecoveryMs: failoverMs,
      notes: [`${successor.id} reported wiber_leader 1 ${(failoverMs / 1000).toFixed(2)} s after the kill`],
      checks: [
        { what: 'never two leaders at once while sampled', ok: twoLeadersSeen === 0, detail: twoLeadersSeen > 0 ? `${twoLeadersSeen} samples` : undefined },
        { what: 'exactly one leader among the survivors at the end', ok: leadingNow.length === 1, detail: leadingNow.join(', ') || 'none' },
      ],
    };
  },
};

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  'broker-kill': brokerKill,
  'broker-freeze': brokerFreeze,
  'ingest-kill': ingestKill,
  'mongo-stop': mongoStop,
  'registry-stop': registryStop,
  'gateway-kill': gatewayKill,
  'leader-kill': leaderKill,
};
