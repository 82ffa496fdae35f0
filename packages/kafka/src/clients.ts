import {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer,
  type ConsumerConfig,
  type LogEntry,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';
import type { KafkaConfig } from './config';

/** The part of a winston logger the Kafka client needs. */
export interface LoggerLike {
  error(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  debug(message: string, meta?: Record<string, unknown>): unknown;
}

function logCreator(logger: LoggerLike) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...meta } = log;
      const line = `kafkajs: ${message}`;
      if (level === logLevel.ERROR) logger.error(line, meta);
      else if (level === logLevel.WARN) logger.warn(line, meta);
      else if (level === logLevel.INFO) logger.info(line, meta);
      else logger.debug(line, meta);
    };
}

export function createKafka(config: KafkaConfig, logger: LoggerLike): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.ssl,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
    // kafkajs INFO is chatty (every join/leave); keep it at WARN unless debugging
    logLevel: logLevel.WARN,
    logCreator: logCreator(logger),
  });
}

/**
 * Idempotent producer with acks=all (set per send by `sendDurably`) and bounded retries:
 * the broker de-duplicates retried batches, so a retry never writes a record twice.
 */
export function createProducer(kafka: Kafka, overrides: Partial<ProducerConfig> = {}): Producer {
  return kafka.producer({
    // murmur2 of the key, as the Java client: a conversation maps to the same partition from any client
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 5 },
    ...overrides,
  });
}

/** Consumer for manual commits: callers run with autoCommit false and commit after durable writes. */
export function createConsumer(kafka: Kafka, groupId: string, overrides: Partial<ConsumerConfig> = {}): Consumer {
  return kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: 30000,
    heartbeatInterval: 3000,
    rebalanceTimeout: 60000,
    ...overrides,
  });
}

/** acks=-1: the leader waits for every in-sync replica (at least min.insync.replicas). */
export const ACKS_ALL = -1;
