import { AppProcess, sleep, waitFor } from '@wiber/testing';
import { leaderEnv, uniqueNames, type TestNames } from './support/environment';
import { leaderlessStretchesMs, leadersIn, LeaderCluster, type Instance } from './support/instances';
import { KafkaFixture } from './support/kafka-fixture';

/**
 * The broker's smallest allowed session timeout (group.min.session.timeout.ms) keeps the tests
 * fast; LEADER_TEST_SESSION_TIMEOUT_MS=10000 measures the production default instead.
 */
const SESSION_TIMEOUT_MS = Number(process.env['LEADER_TEST_SESSION_TIMEOUT_MS'] ?? 6_000);
/** kill -9 failover must finish within the session timeout plus this (see README, "Failover"). */
const KILL_MARGIN_MS = 5_000;

const report = (line: string): void => {
  process.stdout.write(`[leader-metrics measurement] ${line}\n`);
};

describe('leader election on the local cluster (3 instances as child processes)', () => {
  let names: TestNames;
  let fixture: KafkaFixture | undefined;
  let cluster: LeaderCluster | undefined;

  const setUp = async (label: string, overrides: Record<string, string> = {}): Promise<LeaderCluster> => {
    names = uniqueNames(label);
    fixture = new KafkaFixture(names);
    await fixture.setUp();
    cluster = new LeaderCluster(names, { LEADER_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS), LEADER_INTERVAL_SECONDS: '2', ...overrides });
    return cluster;
  };

  const settle = async (members: number, timeoutMs = 60_000): Promise<{ leader: Instance; epoch: number }> => {
    const current = cluster;
    if (current === undefined) throw new Error('no cluster');
    return waitFor(`${members} members to settle on one leader`, () => current.settled(members), timeoutMs, 100).catch((error: Error) => {
      throw new Error(`${error.message}\n${current.describe()}`);
    });
  };

  afterEach(async () => {
    await cluster?.stopAll();
    await fixture?.tearDown();
    cluster = undefined;
    fixture = undefined;
  });

  it('exactly one of three instances reports wiber_leader 1 whenever sampled; members joining do not move leadership', async () => {
    const group = await setUp('three');
    group.startSampling(50);
    await group.start('lm-a');
    const { leader: first } = await settle(1);
    const joinFrom = group.samples.length;
    const joinedAt = Date.now();
    await group.start('lm-b');
    await group.start('lm-c');
    const { leader, epoch } = await settle(3);
    const joining = group.samples.slice(joinFrom);
    const gaps = leaderlessStretchesMs(joining);
    report(
      `two members joining a leader: settled ${Date.now() - joinedAt} ms after they were started, on ${leader.id} (epoch ${epoch}); ` +
        `${gaps.length} stretch(es) without a leader meanwhile, longest ${Math.max(0, ...gaps)} ms (sampled every ~50 ms)`,
    );
    expect(leader.id).toBe(first.id);

    const steadyFrom = group.samples.length;
    await sleep(10_000);
    await group.stopSampling();
    const steady = group.samples.slice(steadyFrom);
    report(`steady state: ${steady.length} samples of all three over 10 s`);
    expect(group.samples.filter((s) => leadersIn(s).length > 1)).toEqual([]);
    expect(steady.length).toBeGreaterThan(50);
    for (const sample of steady) {
      expect({ at: sample.at, leaders: leadersIn(sample) }).toEqual({ at: sample.at, leaders: [leader.id] });
      expect(sample.readings.map((r) => r.epoch)).toEqual([epoch, epoch, epoch]);
    }
  }, 120_000);

  it('SIGTERM of the leader hands over within 5 s; kill -9 of the next within the session timeout plus the margin', async () => {
    const group = await setUp('failover');
    for (const id of ['lm-a', 'lm-b', 'lm-c']) await group.start(id);
    const first = await settle(3);
    group.startSampling(50);

    const terminatedAt = Date.now();
    first.leader.app.signal('SIGTERM');
    const second = await waitFor('another instance to lead after SIGTERM', async () => {
      const sample = await group.readAll();
      const [id] = leadersIn(sample).filter((l) => l !== first.leader.id);
      return id === undefined ? undefined : group.get(id);
    }, 15_000, 50);
    const sigtermHandoverMs = Date.now() - terminatedAt;
    const exit = await first.leader.app.exited;
    report(`SIGTERM: ${second.id} led ${sigtermHandoverMs} ms after the leader ${first.leader.id} was sent SIGTERM (it exited ${exit.code})`);
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
    expect(sigtermHandoverMs).toBeLessThan(5_000);

    const settledSecond = await settle(2);
    expect(settledSecond.leader.id).toBe(second.id);
    expect(settledSecond.epoch).toBeGreaterThan(first.epoch);
    // so the samples show the second reign, and the two leaderless stretches are told apart
    await sleep(1_000);

    const killedAt = Date.now();
    second.app.signal('SIGKILL');
    const third = await waitFor('the last instance to lead after kill -9', async () => {
      const sample = await group.readAll();
      const [id] = leadersIn(sample).filter((l) => l !== second.id);
      return id === undefined ? undefined : group.get(id);
    }, SESSION_TIMEOUT_MS + 20_000, 50);
    const killHandoverMs = Date.now() - killedAt;
    report(`kill -9: ${third.id} led ${killHandoverMs} ms after the leader ${second.id} was killed (session timeout ${SESSION_TIMEOUT_MS} ms)`);
    expect(killHandoverMs).toBeLessThan(SESSION_TIMEOUT_MS + KILL_MARGIN_MS);

    await sleep(500);
    await group.stopSampling();
    const [afterTerm, afterKill] = leaderlessStretchesMs(group.samples);
    report(`stretches without a leader, sampled every ~50 ms: after SIGTERM ${afterTerm} ms, after kill -9 ${afterKill} ms`);
    expect(group.samples.filter((s) => leadersIn(s).length > 1)).toEqual([]);
  }, 150_000);

  it('a leader frozen past its session (SIGSTOP) is replaced; after SIGCONT its stale epoch is never accepted and it reports wiber_leader 0', async () => {
    const group = await setUp('frozen', { LEADER_INTERVAL_SECONDS: '1' });
    const kafka = fixture;
    if (kafka === undefined) throw new Error('no fixture');
    const reader = await kafka.startReader();
    for (const id of ['lm-a', 'lm-b', 'lm-c']) await group.start(id);
    const { leader: frozen, epoch: staleEpoch } = await settle(3);
    await waitFor(`a snapshot of epoch ${staleEpoch} from ${frozen.id}`, () => reader.latest()?.epoch === staleEpoch && reader.latest()?.leaderId === frozen.id, 30_000);

    const stoppedAt = Date.now();
    frozen.app.signal('SIGSTOP');
    const successor = await waitFor('another instance to lead while the leader is frozen', async () => {
      const sample = await group.readAll();
      const [id] = leadersIn(sample).filter((l) => l !== frozen.id);
      return id === undefined ? undefined : group.get(id);
    }, SESSION_TIMEOUT_MS + 20_000, 50);
    const takeoverMs = Date.now() - stoppedAt;
    const newEpoch = (await group.read(successor)).epoch ?? 0;
    expect(newEpoch).toBeGreaterThan(staleEpoch);
    await waitFor(`the reader to accept epoch ${newEpoch}`, () => (reader.highestEpoch() ?? 0) >= newEpoch, 15_000);
    report(`SIGSTOP: ${successor.id} led (epoch ${newEpoch}) ${takeoverMs} ms after ${frozen.id} (epoch ${staleEpoch}) was frozen`);

    // what a frozen leader would publish if it had slipped past its own check: the reader must ignore it
    const forgedAt = Date.now();
    await kafka.publishSnapshot({ ...(reader.latest() ?? required('a snapshot')), leaderId: frozen.id, epoch: staleEpoch, generatedAt: forgedAt });
    await waitFor('the forged stale snapshot to be read', () => kafka.decisions.some((d) => d.snapshot.generatedAt === forgedAt), 15_000);
    expect(kafka.decisions.find((d) => d.snapshot.generatedAt === forgedAt)?.verdict).toBe('stale-epoch');

    const resumedAt = Date.now();
    frozen.app.signal('SIGCONT');
    const afterResume: Array<{ at: number; leader: number | undefined; epoch: number | undefined }> = [];
    await waitFor(`${frozen.id} to rejoin and learn the new generation`, async () => {
      const reading = await group.read(frozen, 1_000);
      if (reading.leader !== undefined) afterResume.push({ at: Date.now(), leader: reading.leader, epoch: reading.epoch });
      return reading.epoch !== undefined && reading.epoch > newEpoch;
    }, 30_000, 50);
    // three more rounds of the loop in which it could have tried to publish
    await sleep(3_000);
    afterResume.push({ at: Date.now(), ...(await group.read(frozen, 1_000)) });
    report(
      `SIGCONT: ${frozen.id} answered ${(afterResume[0]?.at ?? resumedAt) - resumedAt} ms after SIGCONT with wiber_leader ${afterResume[0]?.leader}; ` +
        `it reported epoch ${afterResume[afterResume.length - 1]?.epoch} after rejoining`,
    );

    expect(afterResume.length).toBeGreaterThan(1);
    expect(afterResume.filter((r) => r.leader !== 0)).toEqual([]);
    // the frozen instance published nothing after it woke up...
    expect(kafka.decisions.filter((d) => d.snapshot.leaderId === frozen.id && d.snapshot.generatedAt >= resumedAt)).toEqual([]);
    // ...and the reader accepted no stale epoch, ever
    let highest = 0;
    for (const decision of kafka.decisions) {
      if (decision.verdict === 'accepted') expect(decision.snapshot.epoch).toBeGreaterThanOrEqual(highest);
      highest = Math.max(highest, decision.snapshot.epoch);
    }
    expect(kafka.decisions.filter((d) => d.verdict === 'accepted' && d.snapshot.epoch === staleEpoch && d.at > stoppedAt)).toEqual([]);
    expect(reader.latest()?.epoch).toBeGreaterThan(staleEpoch);
    expect(reader.latest()?.leaderId).not.toBe(frozen.id);
    expect(frozen.app.logLines().some((l) => l['message'] === 'no longer leader' && l['epoch'] === staleEpoch)).toBe(true);
    // and the group is back to exactly one leader, still the successor (it claimed its epoch when the old one rejoined)
    const settledAgain = await settle(3);
    expect(settledAgain.leader.id).toBe(successor.id);
  }, 150_000);

  it('exits non-zero with one line on stderr naming the bad variable', async () => {
    names = uniqueNames('badconfig');
    const app = new AppProcess('apps/leader-metrics', leaderEnv(names, { LEADER_SESSION_TIMEOUT_MS: 'soon' }));
    const exit = await app.exited;
    expect(exit.code).toBe(78);
    expect(exit.stdout).toBe('');
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^leader-metrics: invalid configuration: LEADER_SESSION_TIMEOUT_MS is invalid/);
  }, 30_000);
});

function required(what: string): never {
  throw new Error(`expected ${what}`);
}
