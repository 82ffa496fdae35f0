import type { Db } from 'mongodb';
import { MESSAGES_COLLECTION, MessageRepository, type MessageDocument } from '@wiber/mongo';
import { summarize, type LatencySummary } from './stats';

export interface ReadCostStep {
  documents: number;
  getMs: LatencySummary;
}

export interface ReadCostResult {
  steps: ReadCostStep[];
  /** what the server says it does for the conversation query (explain), shortened */
  plan: string;
}

/**
 * How long one GET /messages/:a/:b?limit=1 takes as the collection grows: the documents
 * are inserted straight into the gateway's database, then `gets` conversations that exist
 * are read one after the other.
 */
export async function runReadCost(gatewayUrl: string, db: Db, documents: readonly MessageDocument[], sizes: readonly number[], gets: number): Promise<ReadCostResult> {
  await new MessageRepository(db).ensureIndexes();
  const collection = db.collection<MessageDocument>(MESSAGES_COLLECTION);
  const steps: ReadCostStep[] = [];
  let stored = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    const batch = documents.slice(stored, size).map((d) => ({ ...d }));
    if (batch.length > 0) await collection.insertMany(batch, { ordered: false });
    stored = Math.max(stored, size);
    const latencies: number[] = [];
    for (let i = 0; i < gets; i++) {
      const doc = stored > 0 ? documents[(i * 7919) % stored] : undefined;
      const [a, b] = doc === undefined ? ['nobody1', 'nobody2'] : [doc.fromUser, doc.toUser];
      const t0 = performance.now();
      const res = await fetch(`${gatewayUrl}/messages/${a}/${b}?limit=1`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET answered ${res.status}`);
      latencies.push(performance.now() - t0);
    }
    steps.push({ documents: stored, getMs: summarize(latencies) });
  }
  const sample = documents[0];
  const explained = await collection
    .find({ conversationId: sample?.conversationId ?? 'a:b' })
    .sort({ sentAt: 1, messageId: 1 })
    .limit(2)
    .explain();
  const { queryPlanner, filterPushdown, sortPushdown, limitPushdown } = explained as Record<string, unknown>;
  const plan = JSON.stringify({ queryPlanner, filterPushdown, sortPushdown, limitPushdown });
  return { steps, plan: plan.length > 400 ? `${plan.slice(0, 400)}…` : plan };
}
