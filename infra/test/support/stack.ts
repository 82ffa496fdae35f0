import { readFileSync } from 'node:fs';
import { loadCompose, parseEnvFile, type ComposeFile, type ComposeService } from '../../src/compose';
import { INFRA_PATHS } from '../../src/paths';

/** The compose file as `docker compose` sees it with the checked-in .env.example. */
export function exampleEnv(): Record<string, string> {
  return parseEnvFile(readFileSync(INFRA_PATHS.composeEnvExample, 'utf8'));
}

export function composeWithExampleEnv(): ComposeFile {
  return loadCompose(INFRA_PATHS.compose, exampleEnv());
}

export function composeText(): string {
  return readFileSync(INFRA_PATHS.compose, 'utf8');
}

/** The apps that serve /metrics and /health/readiness, with the variable that sets the port. */
export const SERVING_APPS = [
  { service: 'gateway', port: 8000, portVariable: 'GATEWAY_PORT' },
  { service: 'ingest-consumer', port: 9101, portVariable: 'INGEST_METRICS_PORT' },
  { service: 'leader-metrics', port: 9201, portVariable: 'LEADER_METRICS_PORT' },
] as const;

export const APP_SERVICES = ['gateway', 'ingest-consumer', 'leader-metrics', 'dlq-replayer'] as const;

/** Services that run once and exit (restart "no"); everything else runs for good. */
export const ONE_SHOT_SERVICES = ['kafka-init', 'mongo-keyfile', 'mongo-init', 'dlq-replayer'] as const;

export function isOneShot(service: ComposeService): boolean {
  return (ONE_SHOT_SERVICES as readonly string[]).includes(service.name);
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`compose file has no service ${name}`);
  return found;
}

export function env(svc: ComposeService, key: string): string {
  const value = svc.environment[key];
  if (value === undefined) throw new Error(`${svc.name} sets no ${key}`);
  return value;
}
