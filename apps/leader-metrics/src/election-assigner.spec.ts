import { AssignerProtocol, type Cluster, type GroupMember } from 'kafkajs';
import { chooseLeader, decodeCandidate, electionAssigner, encodeCandidate, type ElectionCandidate } from './election-assigner';

const candidate = (memberId: string, claim: number | undefined, startedAt: number): ElectionCandidate => ({
  memberId,
  claim,
  startedAt,
  instanceId: memberId,
});

describe('chooseLeader', () => {
  it('keeps the member claiming the highest epoch, whatever joined before it', () => {
    expect(chooseLeader([candidate('a', undefined, 1), candidate('b', 4, 9), candidate('c', 3, 2)])?.memberId).toBe('b');
  });

  it('without claims picks the longest-running instance, then the smallest member id', () => {
    expect(chooseLeader([candidate('b', undefined, 5), candidate('a', undefined, 7), candidate('c', undefined, 5)])?.memberId).toBe('b');
  });

  it('of nobody is nobody', () => {
    expect(chooseLeader([])).toBeUndefined();
  });
});

describe('candidate metadata', () => {
  it('round-trips, and garbage ranks last instead of failing the rebalance', () => {
    const info = { claim: 12, startedAt: 1_000, instanceId: 'lm-1' };
    expect(decodeCandidate('m-1', encodeCandidate(info))).toEqual({ memberId: 'm-1', ...info });
    expect(decodeCandidate('m-2', encodeCandidate({ ...info, claim: undefined })).claim).toBeUndefined();
    expect(decodeCandidate('m-3', Buffer.from('{not json'))).toEqual({
      memberId: 'm-3',
      claim: undefined,
      startedAt: Number.MAX_SAFE_INTEGER,
      instanceId: 'm-3',
    });
  });
});

describe('electionAssigner', () => {
  const cluster = { findTopicPartitionMetadata: () => [{ partitionId: 0 }] } as unknown as Cluster;
  const logger = {} as Parameters<ReturnType<typeof electionAssigner>>[0]['logger'];
  const member = (memberId: string, claim: number | undefined, startedAt: number): GroupMember => ({
    memberId,
    memberMetadata: AssignerProtocol.MemberMetadata.encode({
      version: 1,
      topics: ['election'],
      userData: encodeCandidate({ claim, startedAt, instanceId: memberId }),
    }),
  });

  it('gives partition 0 to the chosen member only, and every member an assignment', async () => {
    const assigner = electionAssigner(() => ({ claim: undefined, startedAt: 0, instanceId: 'x' }))({ cluster, groupId: 'g', logger });
    const result = await assigner.assign({ members: [member('a', undefined, 1), member('b', 2, 3), member('c', undefined, 0)], topics: ['election'] });
    const decoded = Object.fromEntries(result.map((r) => [r.memberId, AssignerProtocol.MemberAssignment.decode(r.memberAssignment)?.assignment]));
    expect(decoded).toEqual({ a: {}, b: { election: [0] }, c: {} });
  });

  it('announces the current claim at every join', () => {
    let claim: number | undefined = 4;
    const assigner = electionAssigner(() => ({ claim, startedAt: 10, instanceId: 'lm-9' }))({ cluster, groupId: 'g', logger });
    const read = (): ElectionCandidate =>
      decodeCandidate('me', AssignerProtocol.MemberMetadata.decode(assigner.protocol({ topics: ['election'] }).metadata)?.userData);
    expect(read().claim).toBe(4);
    claim = undefined;
    expect(read()).toMatchObject({ claim: undefined, startedAt: 10, instanceId: 'lm-9' });
  });
});
