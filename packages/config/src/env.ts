import { cleanEnv, EnvError, EnvMissingError, makeValidator, type CleanedEnv, type ValidatorSpec } from 'envalid';

export { bool, EnvError, makeValidator, num, port, str, url } from 'envalid';

/** Thrown when environment variables are missing or invalid; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: Record<string, string>) {
    super(
      `invalid configuration: ${Object.entries(problems)
        .map(([name, problem]) => `${name} ${problem}`)
        .join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

type Specs = { [name: string]: ValidatorSpec<unknown> };

/** Validates `env` against `specs`; throws ConfigError instead of exiting, so callers decide. */
export function readEnv<S extends Specs>(specs: S, env: NodeJS.ProcessEnv = process.env): CleanedEnv<S> {
  return cleanEnv(env, specs, {
    reporter: ({ errors }) => {
      const names = Object.keys(errors);
      if (names.length === 0) return;
      const problems: Record<string, string> = {};
      for (const name of names) {
        const error = errors[name];
        const value = env[name];
        problems[name] =
          error instanceof EnvMissingError || value === undefined
            ? 'is required but not set'
            : `is invalid (${error instanceof EnvError ? error.message : String(error)}; got ${JSON.stringify(value)})`;
      }
      throw new ConfigError(problems);
    },
  });
}

/** An integer >= 1 (timeouts, sizes, counts). */
export const positiveInt = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(String(input).trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new EnvError('must be a whole number of at least 1');
  }
  return value;
});

/** A comma-separated list of host:port pairs, e.g. Kafka bootstrap servers. */
export const hostPortList = makeValidator<string[]>((input) => {
  const entries = String(input)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const bad = entries.filter((entry) => !/^[A-Za-z0-9.[\]:_-]+:\d{1,5}$/.test(entry) || Number(entry.split(':').pop()) > 65535);
  if (entries.length === 0 || bad.length > 0) {
    throw new EnvError(`must be a comma-separated list of host:port${bad.length > 0 ? `, bad entries: ${bad.join(', ')}` : ''}`);
  }
  return entries;
});

/**
 * For entry points: prints one line naming what to fix and exits non-zero.
 * Anything that is not a ConfigError is rethrown.
 */
export function exitOnConfigError(service: string, error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(78); // EX_CONFIG from sysexits.h
  }
  throw error;
}
