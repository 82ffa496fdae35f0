import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { asRecord, asScalarText, isRecord, optionalRecord, stringList, type JsonRecord } from './yaml-values';

/**
 * A small, dependency-free reading of a docker-compose file for tests: YAML with merge keys,
 * then compose's variable interpolation (${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?error}, ${VAR?error}, $VAR, $$) applied to every string value, then the few
 * fields the invariants need in one normalised shape. `docker-compose config` remains the
 * authoritative check; this is what runs everywhere without it.
 */

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ComposeHealthcheck {
  test: string[];
  disabled: boolean;
}

export interface ComposeBuild {
  context: string;
  dockerfile: string;
  args: Record<string, string>;
}

export interface ComposeService {
  name: string;
  image: string | undefined;
  build: ComposeBuild | undefined;
  command: string[];
  entrypoint: string[];
  environment: Record<string, string>;
  ports: string[];
  expose: string[];
  volumes: string[];
  dependsOn: Record<string, DependencyCondition>;
  healthcheck: ComposeHealthcheck | undefined;
  restart: string | undefined;
  profiles: string[];
  replicas: number | undefined;
  containerName: string | undefined;
  hostname: string | undefined;
}

export interface ComposeFile {
  path: string;
  services: Record<string, ComposeService>;
  volumes: string[];
}

/** Reads KEY=VALUE lines (comments and blank lines skipped, surrounding quotes removed). */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) throw new Error(`not a KEY=VALUE line: ${rawLine}`);
    const key = match[1] ?? '';
    const rawValue = match[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(rawValue);
    env[key] = quoted !== null ? (quoted[2] ?? '') : rawValue;
  }
  return env;
}

/** Variables a compose text references, with how: required (:? or ?), defaulted, or plain. */
export interface VariableReference {
  name: string;
  kind: 'required' | 'default' | 'plain';
  argument: string;
}

const BRACED = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

export function variableReferences(text: string): VariableReference[] {
  const references: VariableReference[] = [];
  for (const match of text.replace(/\$\$/g, '').matchAll(BRACED)) {
    const [, name, operator, argument] = match;
    if (name === undefined) continue;
    const kind = operator === undefined ? 'plain' : operator.endsWith('?') ? 'required' : 'default';
    references.push({ name, kind, argument: argument ?? '' });
  }
  return references;
}

/** Compose's interpolation of one string. Throws on a missing required variable. */
export function interpolate(value: string, env: Record<string, string>): string {
  const escaped = '\u0000';
  const withoutDollars = value.replace(/\$\$/g, escaped);
  const braced = withoutDollars.replace(BRACED, (_match, name: string, operator: string | undefined, argument: string | undefined) => {
    const current = env[name];
    const unsetOrEmpty = current === undefined || current === '';
    switch (operator) {
      case ':-':
        return unsetOrEmpty ? (argument ?? '') : current;
      case '-':
        return current === undefined ? (argument ?? '') : current;
      case ':?':
        if (unsetOrEmpty) throw new Error(`required variable ${name} is missing: ${argument ?? ''}`);
        return current;
      case '?':
        if (current === undefined) throw new Error(`required variable ${name} is missing: ${argument ?? ''}`);
        return current;
      default:
        return current ?? '';
    }
  });
  const plain = braced.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string) => env[name] ?? '');
  return plain.split(escaped).join('$');
}

function interpolateDeep(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)]));
  }
  return value;
}

function environmentOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (Array.isArray(value)) {
    const env: Record<string, string> = {};
    for (const entry of stringList(value, where)) {
      const index = entry.indexOf('=');
      if (index < 0) env[entry] = '';
      else env[entry.slice(0, index)] = entry.slice(index + 1);
    }
    return env;
  }
  return Object.fromEntries(Object.entries(asRecord(value, where)).map(([key, item]) => [key, asScalarText(item, `${where}.${key}`)]));
}

const CONDITIONS: readonly DependencyCondition[] = ['service_started', 'service_healthy', 'service_completed_successfully'];

function dependsOnOf(value: unknown, where: string): Record<string, DependencyCondition> {
  if (value === undefined) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(stringList(value, where).map((name) => [name, 'service_started' as const]));
  }
  const result: Record<string, DependencyCondition> = {};
  for (const [name, spec] of Object.entries(asRecord(value, where))) {
    const condition = isRecord(spec) && typeof spec['condition'] === 'string' ? spec['condition'] : 'service_started';
    const known = CONDITIONS.find((candidate) => candidate === condition);
    if (known === undefined) throw new Error(`${where}.${name}: unknown condition ${condition}`);
    result[name] = known;
  }
  return result;
}

function healthcheckOf(value: unknown, where: string): ComposeHealthcheck | undefined {
  const spec = optionalRecord(value, where);
  if (spec === undefined) return undefined;
  const test = stringList(spec['test'], `${where}.test`);
  const disabled = spec['disable'] === true || test[0] === 'NONE';
  return { test, disabled };
}

function buildOf(value: unknown, where: string, composeDir: string): ComposeBuild | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { context: resolve(composeDir, value), dockerfile: 'Dockerfile', args: {} };
  const spec = asRecord(value, where);
  return {
    context: resolve(composeDir, asScalarText(spec['context'] ?? '.', `${where}.context`)),
    dockerfile: asScalarText(spec['dockerfile'] ?? 'Dockerfile', `${where}.dockerfile`),
    args: environmentOf(spec['args'], `${where}.args`),
  };
}

function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined ? undefined : asScalarText(value, where);
}

function serviceOf(name: string, raw: JsonRecord, composeDir: string): ComposeService {
  const where = `services.${name}`;
  const deploy = optionalRecord(raw['deploy'], `${where}.deploy`);
  const replicas = deploy?.['replicas'];
  return {
    name,
    image: optionalText(raw['image'], `${where}.image`),
    build: buildOf(raw['build'], `${where}.build`, composeDir),
    command: stringList(raw['command'], `${where}.command`),
    entrypoint: stringList(raw['entrypoint'], `${where}.entrypoint`),
    environment: environmentOf(raw['environment'], `${where}.environment`),
    ports: stringList(raw['ports'], `${where}.ports`),
    expose: stringList(raw['expose'], `${where}.expose`),
    volumes: stringList(raw['volumes'], `${where}.volumes`),
    dependsOn: dependsOnOf(raw['depends_on'], `${where}.depends_on`),
    healthcheck: healthcheckOf(raw['healthcheck'], `${where}.healthcheck`),
    restart: optionalText(raw['restart'], `${where}.restart`),
    profiles: stringList(raw['profiles'], `${where}.profiles`),
    replicas: typeof replicas === 'number' ? replicas : undefined,
    containerName: optionalText(raw['container_name'], `${where}.container_name`),
    hostname: optionalText(raw['hostname'], `${where}.hostname`),
  };
}

/** Parses the compose text as YAML (merge keys on) without interpolation. */
export function parseComposeYaml(text: string): JsonRecord {
  return asRecord(parse(text, { merge: true }), 'compose file');
}

/** Loads a compose file the way `docker compose` would see it with the given variables. */
export function loadCompose(path: string, env: Record<string, string>): ComposeFile {
  const raw = interpolateDeep(parseComposeYaml(readFileSync(path, 'utf8')), env);
  const top = asRecord(raw, path);
  const composeDir = dirname(path);
  const services = Object.fromEntries(
    Object.entries(asRecord(top['services'], 'services')).map(([name, spec]) => [name, serviceOf(name, asRecord(spec, name), composeDir)]),
  );
  return { path, services, volumes: Object.keys(optionalRecord(top['volumes'], 'volumes') ?? {}) };
}

/** A published port "[address:]host:container[/proto]" split into its parts. */
export interface PublishedPort {
  address: string | undefined;
  host: number;
  container: number;
}

export function parsePublishedPort(spec: string): PublishedPort {
  const withoutProtocol = spec.replace(/\/(tcp|udp)$/, '');
  const parts = withoutProtocol.split(':');
  const container = Number(parts[parts.length - 1]);
  const host = Number(parts[parts.length - 2]);
  const address = parts.length > 2 ? parts.slice(0, -2).join(':') : undefined;
  if (!Number.isInteger(container) || !Number.isInteger(host)) throw new Error(`cannot read port mapping ${spec}`);
  return { address, host, container };
}
