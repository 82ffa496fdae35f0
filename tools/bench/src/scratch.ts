import type { Kafka } from 'kafkajs';
import { TOPIC_SPECS, TOPICS, type LoggerLike, type TopicSpec } from '@wiber/kafka';
import { SCHEMA_REGISTRY_URL } from '@wiber/testing';

export const quietLogger: LoggerLike = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** Private topics, groups and databases, removed at the end (in reverse order of creation). */
export class Scratch {
  private readonly undo: Array<{ what: string; run: () => Promise<unknown> }> = [];

  constructor(
    private readonly keep: boolean,
    private readonly log: (line: string) => void,
  ) {}

  add(what: string, run: () => Promise<unknown>): void {
    if (!this.keep) this.undo.push({ what, run });
  }

  async clean(): Promise<void> {
    for (const step of this.undo.reverse()) {
      await step.run().catch((error: unknown) => this.log(`cleanup: ${step.what} failed: ${String(error)}`));
    }
  }
}

/** A topic shaped like `shapeOf` (wiber.messages by default: 6 partitions, RF 3, min ISR 2) under another name. */
export function privateTopicSpec(name: string, shapeOf: string = TOPICS.messages): TopicSpec {
  const known = TOPIC_SPECS.find((spec) => spec.name === shapeOf);
  if (known === undefined) throw new Error(`no spec for ${shapeOf}`);
  return { ...known, name };
}

/** Removes a schema-registry subject a run created (soft, then permanent); best effort. */
export async function deleteSubject(subject: string): Promise<void> {
  const url = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(subject)}`;
  await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
  await fetch(`${url}?permanent=true`, { method: 'DELETE', signal: AbortSignal.timeout(5000) });
}

export async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}
