import type { Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { createKafka, createProducer, ensureTopics, TOPIC_SPECS, TOPICS, TopicMismatchError, type TopicSpec } from '@wiber/kafka';
import { connectMongo, MessageRepository, pingMongo, type MongoConnection } from '@wiber/mongo';
import type { HealthCheck, Logger } from '@wiber/observability';
import { RegistryCodec, schemas, type ChatMessage } from '@wiber/schema';
import { CircuitBreaker } from './circuit-breaker';
import { SERVICE_NAME, type IngestConfig } from './config';
import { createDlqSink } from './dlq-sink';
import { createIngestConsumer, type IngestConsumer } from './ingest-consumer';
import { createIngestMetrics, type IngestMetrics } from './metrics';
import { interruptibleSleep, retryWhileRunning, type RetryOutcome } from './retry';
import type { UnprocessableSink } from './unprocessable';

export interface IngestServiceDeps {
  logger: Logger;
  registry: Registry;
  /** something the service cannot recover from by itself happened: the process should exit non-zero */
  onFatal: (error: Error) => void;
  /** where unprocessable records go; the DLQ topic (config.dlqTopic) by default */
  sink?: UnprocessableSink;
}

export interface IngestService {
  /**
   * Connects to Mongo (creating indexes) and Kafka (creating the topic if missing), waiting
   * with backoff while either is unreachable, then starts consuming. Resolves once consuming,
   * or early when stop() was called meanwhile.
   */
  start(): Promise<void>;
  /** Stops consuming (the in-flight batch finishes or is given up; written chunks are committed) and closes Mongo. */
  stop(): Promise<void>;
  readiness: Record<string, HealthCheck>;
  metrics: IngestMetrics;
}

/** The configured topic's spec: the design's when it is a design topic, else the shape of `like` (tests). */
export function topicSpecFor(topic: string, like: string = TOPICS.messages): TopicSpec {
  const known = TOPIC_SPECS.find((spec) => spec.name === topic);
  if (known !== undefined) return known;
  const shape = TOPIC_SPECS.find((spec) => spec.name === like);
  if (shape === undefined) throw new Error(`no topic spec for ${like}`);
  return { ...shape, name: topic };
}

export function createIngestService(config: IngestConfig, deps: IngestServiceDeps): IngestService {
  const { logger } = deps;
  const metrics = createIngestMetrics(deps.registry);
  const stopping = new AbortController();
  const breaker = new CircuitBreaker({
    policy: config.retry,
    openAfter: config.circuitOpenAfter,
    onOpen: (failures) => {
      metrics.circuitOpen.set(1);
      logger.warn('circuit open: consumption paused until the failing dependency answers again', { consecutiveFailures: failures });
    },
    onClose: () => {
      metrics.circuitOpen.set(0);
      logger.info('circuit closed: consumption resumed');
    },
  });
  const codec = new RegistryCodec({ url: config.kafka.schemaRegistryUrl });
  let mongo: MongoConnection | undefined;
  let consumer: IngestConsumer | undefined;
  let producer: Producer | undefined;
  let starting: Promise<void> | undefined;

  const untilDone = <T>(what: string, operation: () => Promise<T>): Promise<RetryOutcome<T>> =>
    retryWhileRunning(operation, {
      breaker,
      shouldContinue: () => !stopping.signal.aborted,
      pause: (ms) => interruptibleSleep(ms, stopping.signal),
      isRetryable: (error) => !(error instanceof TopicMismatchError),
      onRetry: (error, delayMs) => {
        metrics.retries.inc({ operation: 'startup' });
        logger.warn(`${what} failed; retrying in ${delayMs} ms`, { error: error instanceof Error ? error.message : String(error) });
      },
    });

  const run = async (): Promise<void> => {
    const connected = await untilDone('connecting to Mongo', () => connectMongo(config.mongo));
    if (!connected.completed) return;
    mongo = connected.value;
    const repository = new MessageRepository(mongo.db);
    // the unique messageId index is what makes redelivery harmless: never consume without it
    if (!(await untilDone('creating Mongo indexes', () => repository.ensureIndexes())).completed) return;

    const kafka = createKafka(config.kafka, logger);
    const topics = [topicSpecFor(config.topic), topicSpecFor(config.dlqTopic, TOPICS.messagesDlq)];
    if (!(await untilDone(`ensuring topics ${config.topic} and ${config.dlqTopic}`, () => ensureTopics(kafka, topics))).completed) return;
    let sink = deps.sink;
    if (sink === undefined) {
      const dlqProducer = createProducer(kafka);
      producer = dlqProducer;
      if (!(await untilDone('connecting the dead-letter producer', () => dlqProducer.connect())).completed) return;
      sink = createDlqSink({
        producer: dlqProducer,
        topic: config.dlqTopic,
        context: { groupId: config.groupId, service: SERVICE_NAME, instance: config.instanceId },
        logger,
        deadLettered: metrics.deadLettered,
      });
    }

    const reader = schemas().chatMessage;
    consumer = createIngestConsumer({
      kafka,
      topic: config.topic,
      groupId: config.groupId,
      fetch: config.fetch,
      partitionsConcurrency: config.partitionsConcurrency,
      sessionTimeoutMs: config.sessionTimeoutMs,
      metrics,
      logger,
      onFatal: deps.onFatal,
      processor: {
        decode: (value) => codec.decode<ChatMessage>(value, reader),
        store: repository,
        sink,
        breaker,
        metrics,
        logger,
        batchSize: config.batchSize,
        writeTimeoutMs: config.writeTimeoutMs,
        recordRetries: config.recordRetries,
        recordRetryPolicy: config.recordRetry,
      },
    });
    const started = consumer;
    if (!(await untilDone('starting the consumer', () => started.start())).completed) return;
    logger.info('consuming', { topic: config.topic, dlqTopic: config.dlqTopic, groupId: config.groupId, batchSize: config.batchSize });
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
      if (consumer !== undefined) await consumer.stop();
      // after the consumer: the in-flight batch may still be writing dead letters
      if (producer !== undefined) await producer.disconnect();
      if (mongo !== undefined) await mongo.client.close();
    },
    readiness: {
      kafka: async () => {
        if (consumer === undefined || !consumer.isJoined()) throw new Error(`not a member of consumer group ${config.groupId}`);
        return `member of ${config.groupId}`;
      },
      registry: () => codec.ping(),
      mongo: async () => {
        if (mongo === undefined) throw new Error('not connected yet');
        await pingMongo(mongo.db);
      },
    },
  };
}
