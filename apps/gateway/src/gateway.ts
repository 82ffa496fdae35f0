import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram } from 'prom-client';
import { createKafka, createProducer, ensureTopics, MetricsSnapshotReader, TOPIC_SPECS, type KafkaConfig } from '@wiber/kafka';
import { createMongoConnection, MessageRepository, pingMongo, type MongoConfig } from '@wiber/mongo';
import { createMetricsRegistry, type Logger } from '@wiber/observability';
import { RegistryCodec } from '@wiber/schema';
import { createApp } from './app';
import { answerClientErrors } from './client-error';
import type { GatewayConfig } from './config';
import { IdempotencyCache } from './idempotency-cache';
import { MessagePublisher } from './message-publisher';
import { followSnapshots } from './stats';

export const SERVICE = 'gateway';

export interface GatewayOptions {
  gateway: GatewayConfig;
  kafka: KafkaConfig;
  mongo: MongoConfig;
  logger: Logger;
  instance: string;
}

export interface RunningGateway {
  server: Server;
  url: string;
  publisher: MessagePublisher;
  /** stop accepting, finish in-flight requests, flush the producer, close clients */
  stop(): Promise<void>;
}

/** Wires the gateway and starts listening; dependencies connect in the background. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { gateway, logger } = options;
  const registry = createMetricsRegistry({ service: SERVICE, instance: options.instance });
  const metrics = {
    accepted: new Counter({ name: 'wiber_gateway_messages_accepted_total', help: 'Messages acknowledged by Kafka and answered 202', registers: [registry] }),
    produceDuration: new Histogram({
      name: 'wiber_gateway_produce_duration_seconds',
      help: 'Time from produce to Kafka acknowledgement (acks=all), by outcome',
      labelNames: ['outcome'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
  const batchRecords = new Histogram({
    name: 'wiber_gateway_produce_batch_records',
    help: 'Records per Kafka send (one partition each); grows with concurrent requests',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [registry],
  });

  const kafka = createKafka(options.kafka, logger);
  const codec = new RegistryCodec({ url: options.kafka.schemaRegistryUrl });
  const publisher = new MessagePublisher({
    kafka,
    producer: createProducer(kafka),
    codec,
    logger,
    timeoutMs: gateway.produceTimeoutMs,
    topic: gateway.topic,
    batching: gateway.batching,
    onBatch: ({ records }) => batchRecords.observe(records),
  });
  const mongo = createMongoConnection(
    { ...options.mongo, serverSelectionTimeoutMs: Math.min(options.mongo.serverSelectionTimeoutMs, gateway.readTimeoutMs) },
    (error, delayMs) => logger.warn(`cannot reach Mongo yet, retrying in ${delayMs} ms`, { error: String(error) }),
  );
  const repository = new MessageRepository(mongo.db);
  const admin = kafka.admin();
  const snapshots = new MetricsSnapshotReader({ kafka, codec, logger, groupIdPrefix: 'wiber.gateway.stats' });
  const snapshotFollower = followSnapshots(snapshots, logger);

  void ensureTopics(kafka, TOPIC_SPECS).catch((error: unknown) => logger.warn('could not ensure topics yet', { error: String(error) }));
  void mongo.connected.then(() =>
    repository.ensureIndexes().catch((error: unknown) => logger.warn('could not ensure Mongo indexes', { error: String(error) })),
  );

  const app = createApp({
    auth: gateway.auth,
    bodyLimitBytes: gateway.bodyLimitBytes,
    registry,
    logger,
    publisher,
    repository,
    idempotency: new IdempotencyCache(),
    maxContentBytes: gateway.maxContentBytes,
    readTimeoutMs: gateway.readTimeoutMs,
    metrics,
    stats: snapshots,
    readiness: {
      kafka: async () => {
        if (!publisher.isReady()) throw new Error('producer not connected, schema not registered or topic partitions not read yet');
        await admin.connect();
        const cluster = await admin.describeCluster();
        return `${cluster.brokers.length} brokers`;
      },
      registry: () => codec.ping(),
      mongo: () => pingMongo(mongo.db),
    },
  });

  const server: Server = app.listen(gateway.port, gateway.host);
  answerClientErrors(server);
  server.keepAliveTimeout = gateway.keepAliveTimeoutMs;
  // Node's rule: a request's headers must be allowed to arrive after the keep-alive window
  server.headersTimeout = gateway.keepAliveTimeoutMs + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `http://${gateway.host}:${(server.address() as AddressInfo).port}`;
  logger.info(`gateway listening on ${url} (docs at ${url}/docs)`);
  void publisher.whenReady().then(() => logger.info('connected to Kafka and schema registered'));

  const stop = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await publisher.stop().catch((error: unknown) => logger.warn('producer disconnect failed', { error: String(error) }));
    await snapshotFollower.stop().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await mongo.close().catch(() => undefined);
  };
  return { server, url, publisher, stop };
}
