import { AssignerProtocol, type Assigner, type GroupMember, type PartitionAssigner } from 'kafkajs';

export const ELECTION_ASSIGNER_NAME = 'WiberLeaderElection';
const VERSION = 1;

/** What each member tells the group leader (the member kafkajs lets compute the assignment) when it joins. */
export interface ElectionCandidate {
  memberId: string;
  /** epoch of a reign the member still holds a valid lease for, if any */
  claim: number | undefined;
  /** when the instance started (ms since epoch); the oldest wins when nobody claims */
  startedAt: number;
  instanceId: string;
}

export type CandidateInfo = Omit<ElectionCandidate, 'memberId'>;

export function encodeCandidate(info: CandidateInfo): Buffer {
  return Buffer.from(JSON.stringify({ claim: info.claim ?? null, startedAt: info.startedAt, instanceId: info.instanceId }));
}

/** Metadata that cannot be read (another version, garbage) ranks last rather than failing the rebalance. */
export function decodeCandidate(memberId: string, userData: Buffer | undefined): ElectionCandidate {
  try {
    const parsed: unknown = JSON.parse((userData ?? Buffer.alloc(0)).toString('utf8'));
    if (parsed !== null && typeof parsed === 'object') {
      const { claim, startedAt, instanceId } = parsed as Record<string, unknown>;
      return {
        memberId,
        claim: typeof claim === 'number' && Number.isSafeInteger(claim) ? claim : undefined,
        startedAt: typeof startedAt === 'number' ? startedAt : Number.MAX_SAFE_INTEGER,
        instanceId: typeof instanceId === 'string' ? instanceId : memberId,
      };
    }
  } catch {
    // fall through
  }
  return { memberId, claim: undefined, startedAt: Number.MAX_SAFE_INTEGER, instanceId: memberId };
}

/**
 * Sticky choice of the leader: the member claiming the highest epoch keeps leading (a member
 * joining or leaving does not move leadership), else the longest-running instance. Ties break
 * by member id, so every group leader computes the same answer.
 */
export function chooseLeader(candidates: readonly ElectionCandidate[]): ElectionCandidate | undefined {
  return [...candidates].sort(
    (a, b) =>
      (b.claim ?? -1) - (a.claim ?? -1) || a.startedAt - b.startedAt || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0),
  )[0];
}

/**
 * A kafkajs partition assigner that gives every partition of the election topic to one member
 * (chooseLeader) and nothing to the others. `candidate` is asked at every join.
 */
export function electionAssigner(candidate: () => CandidateInfo): PartitionAssigner {
  return ({ cluster }): Assigner => ({
    name: ELECTION_ASSIGNER_NAME,
    version: VERSION,
    async assign({ members, topics }: { members: GroupMember[]; topics: string[] }) {
      const candidates = members.map((member) =>
        decodeCandidate(member.memberId, AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.userData),
      );
      const leader = chooseLeader(candidates);
      const everything = Object.fromEntries(
        topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId)]),
      );
      return members.map(({ memberId }) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: VERSION,
          assignment: memberId === leader?.memberId ? everything : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }: { topics: string[] }) {
      return {
        name: ELECTION_ASSIGNER_NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: VERSION, topics, userData: encodeCandidate(candidate()) }),
      };
    },
  });
}
