import { readFile } from 'node:fs/promises';
import type { Component } from '@wiber/local-stack/src/component';
import { brokerProcess, kafkaComponent } from '@wiber/local-stack/src/components/kafka';
import { mongoComponent } from '@wiber/local-stack/src/components/mongo';
import { registryComponent } from '@wiber/local-stack/src/components/registry';
import { stackPaths } from '@wiber/local-stack/src/paths';
import { isAlive, runningPid, signalProcess, startProcess, stopProcess } from '@wiber/local-stack/src/processes';

/**
 * Kills, freezes, stops and restarts single processes of the running local stack, through the
 * local-stack's own pid files and process specs (the same `up` uses).
 */
const paths = stackPaths();

/** The components a scenario may disturb, in the order `up` starts them. */
const COMPONENTS: readonly Component[] = [mongoComponent, kafkaComponent, registryComponent];
const HEALTHY_TIMEOUT_MS = 180_000;

export const MONGO_PROCESS = 'mongo';
export const REGISTRY_PROCESS = 'registry';

export function brokerName(brokerId: number): string {
  return brokerProcess(paths, brokerId).name;
}

async function pidOf(name: string): Promise<number> {
  const pid = await runningPid(paths, name);
  if (pid === undefined) throw new Error(`${name} is not running`);
  return pid;
}

/** kill -9 (the whole process group); resolves once the process is gone. */
export async function killProcess(name: string): Promise<void> {
  const pid = await pidOf(name);
  await signalProcess(paths, name, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
}

export async function freezeProcess(name: string): Promise<void> {
  await signalProcess(paths, name, 'SIGSTOP');
}

export async function thawProcess(name: string): Promise<void> {
  await signalProcess(paths, name, 'SIGCONT');
}

/** A clean stop (SIGTERM, SIGKILL after the grace time), as `down` does for one process. */
export async function stopStackProcess(name: string, graceMs = 20_000): Promise<void> {
  await stopProcess(paths, name, graceMs);
}

function componentOf(name: string): Component {
  const component = COMPONENTS.find((c) => c.processes(paths).some((p) => p.name === name));
  if (component === undefined) throw new Error(`no stack process ${name}`);
  return component;
}

/** Starts the process again if it is not running (as `up` would), then waits until its component is healthy. */
export async function restartStackProcess(name: string): Promise<void> {
  const component = componentOf(name);
  const spec = component.processes(paths).find((p) => p.name === name);
  if (spec === undefined) throw new Error(`no stack process ${name}`);
  if ((await runningPid(paths, name)) === undefined) await startProcess(paths, spec);
  await component.waitHealthy(paths, HEALTHY_TIMEOUT_MS);
}

/**
 * Puts the stack back whatever a scenario did: SIGCONT to every process (harmless when not
 * stopped), starts every process that is not running, waits until each component is healthy.
 * Returns the names of the processes it had to restart.
 */
export async function restoreStack(): Promise<string[]> {
  const restarted: string[] = [];
  for (const component of COMPONENTS) {
    for (const spec of component.processes(paths)) {
      if ((await runningPid(paths, spec.name)) === undefined) {
        await startProcess(paths, spec);
        restarted.push(spec.name);
      } else {
        await signalProcess(paths, spec.name, 'SIGCONT').catch(() => undefined);
      }
    }
  }
  for (const component of COMPONENTS) await component.waitHealthy(paths, HEALTHY_TIMEOUT_MS);
  return restarted;
}

/** Every process of the disturbed components is running (none was left killed or stopped by a scenario). */
export async function stoppedStackProcesses(): Promise<string[]> {
  const stopped: string[] = [];
  for (const component of COMPONENTS) {
    for (const spec of component.processes(paths)) if ((await runningPid(paths, spec.name)) === undefined) stopped.push(spec.name);
  }
  return stopped;
}

/** Resolves once every disturbed component answers its health check. */
export async function waitStackHealthy(timeoutMs = HEALTHY_TIMEOUT_MS): Promise<void> {
  for (const component of COMPONENTS) await component.waitHealthy(paths, timeoutMs);
}

/** The state letter of /proc/<pid>/stat ('T' while stopped by SIGSTOP), for the processes of a name. */
export async function isFrozen(name: string): Promise<boolean> {
  const pid = await pidOf(name);
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'T';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
