import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Component, ProcessSpec, StackPaths } from '../component';
import { execute, lastLines } from '../run-command';
import { REPO_ROOT } from '../paths';

/**
 * Apicurio Registry 2.6.13.Final: 3.x is compiled for Java 21 (this stack runs on
 * Java 17) and 3.0.9's parent POM cannot be resolved from Maven Central.
 * 2.6.x serves the Confluent API under both /apis/ccompat/v6 and /apis/ccompat/v7.
 */
export const APICURIO_VERSION = '2.6.13.Final';
export const REGISTRY_HOST = '127.0.0.1';
export const REGISTRY_PORT = 8081;
/**
 * Base URL of the Confluent-compatible API. Pass it whole as `host` to
 * @kafkajs/confluent-schema-registry: the client appends `/subjects/...` to it,
 * and Apicurio answers 404 at the server root.
 */
export const REGISTRY_URL = `http://${REGISTRY_HOST}:${REGISTRY_PORT}/apis/ccompat/v7`;
export const REGISTRY_COMPATIBILITY = 'BACKWARD';

const PROCESS_NAME = 'registry';
const COMPONENT_NAME = 'registry';
const COMPLETE_MARKER = '.wiber-complete';
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const POLL_INTERVAL_MS = 500;
const REQUEST_TIMEOUT_MS = 3_000;

interface HttpResult {
  status: number;
  body: string;
}

export function apicurioDir(paths: StackPaths): string {
  return join(paths.cache, `apicurio-${APICURIO_VERSION}`);
}

export function registryDataDir(paths: StackPaths): string {
  return join(paths.data, COMPONENT_NAME);
}

export function registryPomPath(): string {
  return join(REPO_ROOT, 'tools', 'local-stack', 'maven', 'registry', 'pom.xml');
}

function runnerJar(paths: StackPaths): string {
  return join(apicurioDir(paths), `apicurio-registry-app-${APICURIO_VERSION}-runner.jar`);
}

function h2Url(paths: StackPaths): string {
  // A file database keeps subjects (and so the schema ids inside Kafka records) across restarts.
  return `jdbc:h2:file:${join(registryDataDir(paths), 'h2', 'registry')};DB_CLOSE_ON_EXIT=FALSE`;
}

async function install(paths: StackPaths, log: (line: string) => void): Promise<void> {
  const dir = apicurioDir(paths);
  if (existsSync(join(dir, COMPLETE_MARKER))) {
    return;
  }
  const pom = registryPomPath();
  if (!existsSync(pom)) {
    throw new Error(`registry: Maven pom not found at ${pom}`);
  }
  await rm(dir, { recursive: true, force: true });
  log(`registry: fetching Apicurio Registry ${APICURIO_VERSION} (~140 MB) from Maven Central into ${dir}`);
  const result = await execute('mvn', [
    '-B',
    '-ntp',
    '-f',
    pom,
    'dependency:unpack@apicurio',
    `-Dapicurio.version=${APICURIO_VERSION}`,
    `-Dapicurio.outputDirectory=${dir}`,
  ]);
  if (result.code !== 0 || !existsSync(runnerJar(paths))) {
    throw new Error(
      `registry: Maven could not fetch io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all ` +
        `(exit ${String(result.code)}):\n${lastLines(result.output, 15)}`,
    );
  }
  await writeFile(join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  log(`registry: Apicurio Registry ${APICURIO_VERSION} ready in ${dir}`);
}

async function prepare(paths: StackPaths): Promise<void> {
  // Nothing else to write: the configuration is passed as -D flags (visible in `ps`),
  // and Apicurio creates its H2 tables on first start.
  await mkdir(join(registryDataDir(paths), 'h2'), { recursive: true });
}

function javaArgs(paths: StackPaths): string[] {
  return [
    '-Xms64m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dquarkus.http.host=${REGISTRY_HOST}`,
    `-Dquarkus.http.port=${REGISTRY_PORT}`,
    `-DREGISTRY_DATASOURCE_URL=${h2Url(paths)}`,
    // The default pool opens 20 H2 connections at boot; a dev registry needs a few.
    '-Dquarkus.datasource.jdbc.initial-size=2',
    '-Dquarkus.datasource.jdbc.min-size=2',
    '-Dquarkus.datasource.jdbc.max-size=10',
    '-jar',
    runnerJar(paths),
  ];
}

function processes(paths: StackPaths): ProcessSpec[] {
  return [
    {
      name: PROCESS_NAME,
      command: 'java',
      args: javaArgs(paths),
      cwd: registryDataDir(paths),
      ports: [REGISTRY_PORT],
    },
  ];
}

async function request(method: string, path: string, body?: unknown): Promise<HttpResult> {
  const response = await fetch(`${REGISTRY_URL}${path}`, {
    method,
    headers: { Accept: CONTENT_TYPE, 'Content-Type': CONTENT_TYPE },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: response.status, body: await response.text() };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForApi(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const result = await request('GET', '/subjects');
      if (result.status === 200) {
        return;
      }
      last = `HTTP ${result.status}`;
    } catch (error) {
      last = describeError(error);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(
    `registry: ${REGISTRY_URL}/subjects did not answer 200 within ${Math.round(timeoutMs / 1000)}s (last: ${last})`,
  );
}

function compatibilityOf(body: string): string | undefined {
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed === 'object' && parsed !== null && 'compatibilityLevel' in parsed) {
    const level = parsed.compatibilityLevel;
    return typeof level === 'string' ? level : undefined;
  }
  return undefined;
}

async function globalCompatibility(): Promise<string | undefined> {
  const result = await request('GET', '/config');
  return result.status === 200 ? compatibilityOf(result.body) : undefined;
}

/**
 * Apicurio has no global compatibility rule out of the box (GET /config says NONE).
 * The global rule is enforced for every subject without a subject rule of its own.
 */
async function ensureGlobalCompatibility(): Promise<void> {
  if ((await globalCompatibility()) === REGISTRY_COMPATIBILITY) {
    return;
  }
  const result = await request('PUT', '/config', { compatibility: REGISTRY_COMPATIBILITY });
  if (result.status !== 200) {
    throw new Error(
      `registry: could not set global compatibility ${REGISTRY_COMPATIBILITY}: HTTP ${result.status} ${result.body}`,
    );
  }
}

async function waitHealthy(_paths: StackPaths, timeoutMs: number): Promise<void> {
  await waitForApi(timeoutMs);
  await ensureGlobalCompatibility();
}

async function runningVersion(): Promise<string> {
  const response = await fetch(
    `http://${REGISTRY_HOST}:${REGISTRY_PORT}/apis/registry/v2/system/info`,
    { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) },
  );
  const info: unknown = await response.json();
  if (typeof info === 'object' && info !== null && 'version' in info && typeof info.version === 'string') {
    return info.version;
  }
  return 'unknown version';
}

async function subjectCount(): Promise<number> {
  const result = await request('GET', '/subjects');
  const subjects: unknown = JSON.parse(result.body);
  return Array.isArray(subjects) ? subjects.length : 0;
}

async function describe(): Promise<string[]> {
  try {
    const [version, count, compatibility] = await Promise.all([
      runningVersion(),
      subjectCount(),
      globalCompatibility(),
    ]);
    const plural = count === 1 ? 'subject' : 'subjects';
    return [
      `registry ${REGISTRY_URL} (Apicurio ${version}, ${count} ${plural}, global compatibility ${compatibility ?? 'unknown'})`,
    ];
  } catch (error) {
    return [`registry ${REGISTRY_URL} not answering: ${describeError(error)}`];
  }
}

export const registryComponent: Component = {
  name: COMPONENT_NAME,
  requirements: [
    { command: 'java', hint: 'install a Java 17+ runtime, e.g. `apt-get install -y openjdk-17-jre-headless`' },
    { command: 'mvn', hint: 'install Maven to fetch Apicurio Registry, e.g. `apt-get install -y maven`' },
  ],
  install,
  prepare: (paths) => prepare(paths),
  processes,
  waitHealthy,
  describe: () => describe(),
};
