/**
 * A piece of the local stack (Kafka cluster, schema registry, Mongo, Prometheus).
 *
 * The CLI drives every component through the same life cycle:
 *   checkRequirements -> install (cached downloads) -> prepare (config, storage)
 *   -> start processes (detached, pid + log files) -> waitHealthy.
 * `down` stops exactly the pids it recorded; `reset` also deletes the data dirs.
 */
export interface StackPaths {
  /** repo-root/.wiber */
  root: string;
  /** download cache, kept by `reset` (.wiber/cache) */
  cache: string;
  /** per-component data: `${data}/${component.name}` (.wiber/data) */
  data: string;
  /** one log file per process: `${logs}/${process.name}.log` (.wiber/logs) */
  logs: string;
  /** pid files: `${run}/${process.name}.pid` (.wiber/run) */
  run: string;
}

export interface Requirement {
  /** executable looked up on PATH, e.g. 'java' */
  command: string;
  /** one line telling the user what to do when it is missing */
  hint: string;
}

export interface ProcessSpec {
  /** unique process name, e.g. 'kafka-1'; names its pid and log files */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** loopback ports the process listens on; checked free before start */
  ports: number[];
}

export interface Component {
  name: string;
  requirements: Requirement[];
  /** download/build artifacts into paths.cache; idempotent and cached */
  install(paths: StackPaths, log: (line: string) => void): Promise<void>;
  /** write config, format storage under paths.data; idempotent (keeps existing data) */
  prepare(paths: StackPaths, log: (line: string) => void): Promise<void>;
  processes(paths: StackPaths): ProcessSpec[];
  /** resolves once healthy; rejects with an Error whose message names what is not healthy */
  waitHealthy(paths: StackPaths, timeoutMs: number): Promise<void>;
  /** extra human-readable lines for `status` (only called when running) */
  describe(paths: StackPaths): Promise<string[]>;
}
