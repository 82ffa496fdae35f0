import { rm } from 'node:fs/promises';
import type { Component, ProcessSpec, StackPaths } from './component';
import { createDirs, logFile } from './paths';
import { isPortInUse, runningPid, sleep, startProcess, stopProcess } from './processes';
import { findExecutable } from './run-command';

export type Say = (line: string) => void;

/** A failure the user can act on: the CLI prints its message as one line, no stack trace. */
export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}

export async function checkRequirements(components: Component[]): Promise<void> {
  for (const component of components) {
    for (const requirement of component.requirements) {
      if ((await findExecutable(requirement.command)) === undefined) {
        throw new StackError(`${component.name}: '${requirement.command}' not found on PATH — ${requirement.hint}`);
      }
    }
  }
}

/**
 * Brings every component up: install (cached) and prepare in parallel, start what is not
 * already running, then wait until each is healthy. Safe to run again at any time.
 */
export async function up(paths: StackPaths, components: Component[], say: Say, timeoutMs: number): Promise<void> {
  await createDirs(paths);
  await checkRequirements(components);
  await Promise.all(
    components.map(async (component) => {
      const log = (line: string): void => say(`${component.name}: ${line}`);
      try {
        await component.install(paths, log);
        await component.prepare(paths, log);
      } catch (error) {
        throw new StackError(`${component.name}: install failed: ${messageOf(error)}`);
      }
    }),
  );
  for (const component of components) await startComponent(paths, component, say);
  await Promise.all(
    components.map(async (component) => {
      const started = Date.now();
      const watch = new AbortController();
      try {
        await Promise.race([component.waitHealthy(paths, timeoutMs), failWhenAProcessExits(paths, component, watch.signal)]);
      } catch (error) {
        const logs = component
          .processes(paths)
          .map((p) => logFile(paths, p.name))
          .join(', ');
        throw new StackError(`${component.name} is not healthy: ${messageOf(error)} (see ${logs})`);
      } finally {
        watch.abort();
      }
      say(`${component.name}: healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }),
  );
}

/** Rejects as soon as one of the component's processes is gone, so a crash is not a long timeout. */
async function failWhenAProcessExits(paths: StackPaths, component: Component, stop: AbortSignal): Promise<void> {
  while (!stop.aborted) {
    await sleep(1000);
    if (stop.aborted) return;
    for (const spec of component.processes(paths)) {
      if ((await runningPid(paths, spec.name)) === undefined) throw new Error(`${spec.name} exited during start-up`);
    }
  }
}

async function startComponent(paths: StackPaths, component: Component, say: Say): Promise<void> {
  const toStart: ProcessSpec[] = [];
  for (const spec of component.processes(paths)) {
    const pid = await runningPid(paths, spec.name);
    if (pid === undefined) toStart.push(spec);
    else say(`${spec.name}: already running (pid ${pid})`);
  }
  // every port first: a half-started cluster could join someone else's nodes
  for (const spec of toStart) {
    for (const port of spec.ports) {
      if (await isPortInUse(port)) {
        throw new StackError(
          `${spec.name}: port ${port} on 127.0.0.1 is already in use by another program; stop it (ss -ltnp 'sport = :${port}') and run up again`,
        );
      }
    }
  }
  for (const spec of toStart) {
    const started = await startProcess(paths, spec);
    say(`${spec.name}: started (pid ${started}, log ${logFile(paths, spec.name)})`);
  }
}

/** Stops exactly the processes whose pid files `up` wrote, in reverse start order. */
export async function down(paths: StackPaths, components: Component[], say: Say): Promise<void> {
  for (const component of [...components].reverse()) {
    await Promise.all(
      component.processes(paths).map(async (spec) => {
        if (await stopProcess(paths, spec.name)) say(`${spec.name}: stopped`);
      }),
    );
  }
}

/** Stops everything and deletes the data (the download cache is kept). */
export async function reset(paths: StackPaths, components: Component[], say: Say): Promise<void> {
  await down(paths, components, say);
  await rm(paths.data, { recursive: true, force: true });
  await rm(paths.logs, { recursive: true, force: true });
  say(`data and logs under ${paths.root} deleted (download cache kept)`);
}

export interface ProcessStatus {
  name: string;
  pid: number | undefined;
}

export async function processStatus(paths: StackPaths, component: Component): Promise<ProcessStatus[]> {
  return Promise.all(component.processes(paths).map(async (spec) => ({ name: spec.name, pid: await runningPid(paths, spec.name) })));
}

/** True when every process of every component is running (health not checked). */
export async function isRunning(paths: StackPaths, components: Component[]): Promise<boolean> {
  const all = await Promise.all(components.map((component) => processStatus(paths, component)));
  return all.flat().every((p) => p.pid !== undefined);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
