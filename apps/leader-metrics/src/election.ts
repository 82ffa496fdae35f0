import type { Consumer, Kafka } from 'kafkajs';
import { createConsumer, type LoggerLike } from '@wiber/kafka';
import type { ElectionSettings } from './config';
import { electionAssigner } from './election-assigner';
import { Leadership, type LeadershipChange } from './leadership';

export interface ElectionOptions {
  kafka: Kafka;
  settings: ElectionSettings;
  instanceId: string;
  logger: LoggerLike;
  onChange: (change: LeadershipChange) => void;
  /** kafkajs gave up on the consumer: the process should exit */
  onFatal: (error: Error) => void;
  /** monotonic clock; performance.now() */
  now?: () => number;
}

export interface Election {
  start(): Promise<void>;
  /** steps down first, then leaves the group so another member takes over at once */
  stop(): Promise<void>;
  isLeader(): boolean;
  isLeaderIn(epoch: number): boolean;
  /** the epoch while leader */
  epoch(): number | undefined;
  generationId(): number;
  /** true while a member of the group (for readiness) */
  isJoined(): boolean;
}

/**
 * Membership of the election group: every instance consumes the one-partition election topic;
 * the member that holds partition 0 is leader (see Leadership for when that starts and ends).
 */
export function createElection(options: ElectionOptions): Election {
  const { settings, logger } = options;
  const now = options.now ?? (() => performance.now());
  const startedAt = Date.now();
  const leadership = new Leadership({
    sessionTimeoutMs: settings.sessionTimeoutMs,
    leaseMarginMs: settings.leaseMarginMs,
    onChange: options.onChange,
  });
  const consumer: Consumer = createConsumer(options.kafka, settings.groupId, {
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    // the lease argument needs a member that does not rejoin to be dropped no sooner than its session
    rebalanceTimeout: Math.max(2 * settings.sessionTimeoutMs, 20_000),
    // kafkajs heartbeats between fetches: an empty fetch must return well within the heartbeat interval
    maxWaitTimeInMs: Math.min(500, settings.heartbeatIntervalMs),
    partitionAssigners: [
      electionAssigner(() => ({ claim: leadership.claim(now()), startedAt, instanceId: options.instanceId })),
    ],
  });
  let joined = false;

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    const holds = (payload.memberAssignment[settings.topic] ?? []).includes(0);
    leadership.joined(holds);
    logger.info('joined the election group', { groupId: payload.groupId, memberId: payload.memberId, holdsElectionPartition: holds });
  });
  consumer.on(consumer.events.REQUEST, ({ payload }) => {
    // the request's send time on the monotonic clock: the lease is counted from it
    if (payload.apiName === 'Heartbeat') leadership.heartbeatSent(now() - (Date.now() - payload.sentAt));
  });
  consumer.on(consumer.events.HEARTBEAT, ({ payload }) => {
    leadership.heartbeatAcknowledged(payload.groupGenerationId, now());
  });
  consumer.on(consumer.events.REBALANCING, () => leadership.interrupted('the group is rebalancing'));
  consumer.on(consumer.events.DISCONNECT, () => leadership.interrupted('disconnected from the cluster'));
  consumer.on(consumer.events.STOP, () => {
    joined = false;
    leadership.interrupted('the consumer stopped');
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    leadership.interrupted(`the consumer crashed: ${payload.error.message}`);
    if (payload.restart) {
      logger.warn('election consumer crashed; kafkajs restarts it', { error: payload.error.message });
    } else {
      logger.error('election consumer crashed and will not restart', { error: payload.error.message });
      options.onFatal(payload.error);
    }
  });

  return {
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topics: [settings.topic], fromBeginning: false });
      await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
    },
    async stop() {
      leadership.interrupted('shutting down');
      await consumer.disconnect();
      joined = false;
    },
    isLeader: () => leadership.isLeader(now()),
    isLeaderIn: (epoch) => leadership.isLeaderIn(epoch, now()),
    epoch: () => leadership.epoch(now()),
    generationId: () => leadership.generationId(),
    isJoined: () => joined,
  };
}
