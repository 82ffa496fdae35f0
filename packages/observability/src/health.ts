export type CheckStatus = 'up' | 'down';

export interface CheckResult {
  status: CheckStatus;
  /** why it is down, or a short detail when up */
  detail?: string;
  latencyMs: number;
}

export interface HealthReport {
  status: CheckStatus;
  checks: Record<string, CheckResult>;
}

export type HealthCheck = () => Promise<string | void>;

/**
 * Runs every check in parallel, each bounded by `timeoutMs`, so a hung dependency
 * makes readiness answer "down" instead of hanging the probe.
 */
export async function runHealthChecks(
  checks: Record<string, HealthCheck>,
  timeoutMs = 2000,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const),
  );
  const results = Object.fromEntries(entries);
  const status = entries.every(([, r]) => r.status === 'up') ? 'up' : 'down';
  return { status, checks: results };
}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const detail = await Promise.race([check(), timeout]);
    return { status: 'up', latencyMs: elapsed(started), ...(detail ? { detail } : {}) };
  } catch (error) {
    return { status: 'down', detail: errorMessage(error), latencyMs: elapsed(started) };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
