import type { Tally } from './counting';

export interface Check {
  what: string;
  ok: boolean;
  detail?: string;
}

/** Pass: nothing acknowledged was lost, nothing stored twice, and every check (recovery, apps, stack) held. */
export function passed(tally: Tally, checks: readonly Check[]): boolean {
  return tally.lost === 0 && tally.duplicates === 0 && checks.every((c) => c.ok);
}
