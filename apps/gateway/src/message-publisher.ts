import type { Kafka, Producer } from 'kafkajs';
import { ACKS_ALL, TOPICS } from '@wiber/kafka';
import { CORRELATION_KAFKA_HEADER, type Logger } from '@wiber/observability';
import { RegistryCodec, schemas, type ChatMessage } from '@wiber/schema';

/** Kafka or the registry cannot take the message now; the HTTP layer answers 503. */
export class PublishUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishUnavailableError';
  }
}

export interface PublisherOptions {
  kafka: Kafka;
  producer: Producer;
  codec: RegistryCodec;
  logger: Logger;
  timeoutMs: number;
}

/**
 * Writes ChatMessages to wiber.messages (key: conversationId, Avro value, acks=all).
 * Connecting to Kafka and registering the schema happen in the background with retries,
 * so the gateway starts, and stays up, while a dependency is down.
 */
export class MessagePublisher {
  private connected = false;
  private schemaRegistered = false;
  private stopped = false;
  private readonly ready: Promise<void>;

  constructor(private readonly options: PublisherOptions) {
    const { producer } = options;
    producer.on(producer.events.CONNECT, () => {
      this.connected = true;
    });
    producer.on(producer.events.DISCONNECT, () => {
      this.connected = false;
      if (!this.stopped) void this.retry('kafka producer connect', () => producer.connect());
    });
    this.ready = Promise.all([
      this.retry('kafka producer connect', () => producer.connect()),
      this.retry('schema registration', async () => {
        await options.codec.registerValueSchema(TOPICS.messages, schemas().chatMessage);
        this.schemaRegistered = true;
      }),
    ]).then(() => undefined);
  }

  /** Resolves once connected and registered (used by tests and start-up logs). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  isReady(): boolean {
    return this.connected && this.schemaRegistered;
  }

  /** Resolves once every in-sync replica has the record; rejects with PublishUnavailableError otherwise. */
  async publish(message: ChatMessage, correlationId: string): Promise<{ partition: number; offset: string }> {
    if (!this.schemaRegistered) throw new PublishUnavailableError('the schema registry has not been reachable yet');
    if (!this.connected) throw new PublishUnavailableError('not connected to Kafka');
    const value = this.options.codec.encode(TOPICS.messages, schemas().chatMessage, message);
    const send = this.options.producer.send({
      topic: TOPICS.messages,
      acks: ACKS_ALL,
      timeout: this.options.timeoutMs,
      messages: [{ key: message.conversationId, value, headers: { [CORRELATION_KAFKA_HEADER]: correlationId } }],
    });
    const [metadata] = await withTimeout(send, this.options.timeoutMs).catch((error: unknown) => {
      throw new PublishUnavailableError(`Kafka did not acknowledge the message: ${messageOf(error)}`, { cause: error });
    });
    return { partition: metadata?.partition ?? -1, offset: metadata?.baseOffset ?? '-1' };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.options.producer.disconnect();
  }

  private async retry(what: string, attempt: () => Promise<void>): Promise<void> {
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 10_000)) {
      try {
        await attempt();
        return;
      } catch (error) {
        this.options.logger.warn(`${what} failed, retrying in ${delay} ms`, { error: messageOf(error) });
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
