import type { Admin, Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { createKafka, createProducer, ensureTopics, TOPIC_SPECS, TOPICS, TopicMismatchError, type TopicSpec } from '@wiber/kafka';
import { createMongoConnection, pingMongo, type MongoConnection } from '@wiber/mongo';
import type { HealthCheck, Logger } from '@wiber/observability';
import { RegistryCodec, schemas } from '@wiber/schema';
import type { LeaderMetricsConfig } from './config';
import { createElection, type Election } from './election';
import { FigureSources } from './figure-sources';
import { LeaderLoop } from './leader-loop';
import type { LeadershipChange } from './leadership';
import { createInstanceMetrics, LeaderGauges, type InstanceMetrics } from './metrics';
import { SnapshotPublisher } from './publisher';
import { retryUntil } from './retry-until';

export interface LeaderServiceDeps {
  logger: Logger;
  registry: Registry;
  /** the service cannot go on (the election consumer gave up): exit non-zero */
  onFatal: (error: Error) => void;
}

export interface LeaderService {
  /** Connects (waiting for Kafka and the registry), joins the election and starts the loop. */
  start(): Promise<void>;
  /** Steps down, leaves the group (another member takes over at once), closes every client. */
  stop(): Promise<void>;
  readiness: Record<string, HealthCheck>;
  metrics: InstanceMetrics;
}

/** A design topic's spec under a configured name (tests use private names). */
export function specFor(name: string, shapeOf: string): TopicSpec {
  const known = TOPIC_SPECS.find((spec) => spec.name === name) ?? TOPIC_SPECS.find((spec) => spec.name === shapeOf);
  if (known === undefined) throw new Error(`no topic spec for ${shapeOf}`);
  return { ...known, name };
}

export function createLeaderService(config: LeaderMetricsConfig, deps: LeaderServiceDeps): LeaderService {
  const { logger } = deps;
  const stopping = new AbortController();
  const kafka = createKafka(config.kafka, logger);
  const codec = new RegistryCodec({ url: config.kafka.schemaRegistryUrl });
  const gauges = new LeaderGauges(deps.registry);
  let election: Election | undefined;
  let loop: LeaderLoop | undefined;
  let producer: Producer | undefined;
  let admin: Admin | undefined;
  let mongo: MongoConnection | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let starting: Promise<void> | undefined;

  const metrics = createInstanceMetrics(deps.registry, {
    isLeader: () => election?.isLeader() ?? false,
    generationId: () => election?.generationId() ?? 0,
  });

  const onLeadershipChange = (change: LeadershipChange): void => {
    if (change.kind === 'elected') {
      metrics.elections.inc();
      logger.info('became leader', { epoch: change.epoch, groupId: config.election.groupId });
      loop?.kick();
    } else {
      gauges.hide();
      logger.info('no longer leader', { epoch: change.epoch, reason: change.reason });
    }
  };

  const untilDone = <T>(what: string, operation: () => Promise<T>) =>
    retryUntil(operation, {
      signal: stopping.signal,
      isRetryable: (error) => !(error instanceof TopicMismatchError),
      onRetry: (error, delayMs) =>
        logger.warn(`${what} failed; retrying in ${delayMs} ms`, { error: error instanceof Error ? error.message : String(error) }),
    });

  const run = async (): Promise<void> => {
    const topics = [
      specFor(config.election.topic, TOPICS.leaderElection),
      specFor(config.metricsTopic, TOPICS.metrics),
      specFor(config.sources.messagesTopic, TOPICS.messages),
      specFor(config.sources.dlqTopic, TOPICS.messagesDlq),
    ];
    if ((await untilDone('ensuring topics', () => ensureTopics(kafka, topics))) === undefined) return;
    const registered = await untilDone('registering the MetricsSnapshot schema', () =>
      codec.registerValueSchema(config.metricsTopic, schemas().metricsSnapshot),
    );
    if (registered === undefined) return;

    const connectedProducer = createProducer(kafka);
    producer = connectedProducer;
    if ((await untilDone('connecting the producer', () => connectedProducer.connect())) === undefined) return;
    const connectedAdmin = kafka.admin();
    admin = connectedAdmin;
    if ((await untilDone('connecting the admin client', () => connectedAdmin.connect())) === undefined) return;
    // connects on first use, so Mongo being down only costs the snapshots, not the election
    mongo = createMongoConnection(config.mongo);

    const sources = new FigureSources(connectedAdmin, mongo.db, config.sources, {
      rateWindowSeconds: config.rateWindowSeconds,
      activityWindowSeconds: config.activityWindowSeconds,
    });
    const publisher = new SnapshotPublisher(connectedProducer, codec, config.metricsTopic);
    const joined = createElection({
      kafka,
      settings: config.election,
      instanceId: config.instanceId,
      logger,
      onChange: onLeadershipChange,
      onFatal: deps.onFatal,
    });
    election = joined;
    loop = new LeaderLoop({
      instanceId: config.instanceId,
      intervalMs: config.intervalMs,
      collectTimeoutMs: config.collectTimeoutMs,
      epoch: () => joined.epoch(),
      isLeaderIn: (epoch) => joined.isLeaderIn(epoch),
      collect: (now) => sources.collect(now),
      publish: (snapshot, stillLeader) => publisher.publish(snapshot, stillLeader),
      onPublished: (snapshot) => gauges.show(snapshot),
      metrics,
      logger,
    });
    // turns a lease that ran out into a logged change (and hidden gauges) even between rounds
    watchdog = setInterval(() => joined.isLeader(), Math.min(250, config.election.heartbeatIntervalMs));
    watchdog.unref();
    loop.start();
    if ((await untilDone('joining the election group', () => joined.start())) === undefined) return;
    logger.info('joined the election', {
      groupId: config.election.groupId,
      topic: config.election.topic,
      sessionTimeoutMs: config.election.sessionTimeoutMs,
      intervalMs: config.intervalMs,
    });
  };

  return {
    metrics,
    start() {
      starting ??= run();
      return starting;
    },
    async stop() {
      stopping.abort();
      await starting?.catch(() => undefined);
      clearInterval(watchdog);
      // leave first: the handover should not wait for an in-flight round or for closing clients
      const leaving = election?.stop();
      await loop?.stop();
      await leaving;
      gauges.hide();
      await Promise.allSettled([producer?.disconnect(), admin?.disconnect(), mongo?.client.close()]);
    },
    readiness: {
      kafka: async () => {
        if (election === undefined || !election.isJoined()) throw new Error(`not a member of ${config.election.groupId}`);
        return election.isLeader() ? `leader, epoch ${election.epoch()}` : 'follower';
      },
      registry: () => codec.ping(),
      mongo: async () => {
        if (mongo === undefined) throw new Error('not connected yet');
        await pingMongo(mongo.db);
      },
    },
  };
}
