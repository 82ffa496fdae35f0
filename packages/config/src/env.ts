import { cleanEnv, EnvError, EnvMissingError, makeValidator, type CleanedEnv, type ValidatorSpec } from 'envalid';

export { bool, EnvError, makeValidator, num, port, str, url } from 'envalid';

/**
 * `text` with control characters (newlines, tabs, escape sequences...) written as escapes, so
 * a value quoted in an error message can never split it over several lines or restyle a terminal.
 */
export function oneLine(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let result = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    const control = code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
    result += control ? (named[char] ?? `\\u${code.toString(16).padStart(4, '0')}`) : char;
  }
  return result;
}

/**
 * Thrown when environment variables are missing or invalid; names every bad variable. Each
 * problem, and so the message, is one line (see oneLine): entry points print them as they are.
 */
export class ConfigError extends Error {
  readonly problems: Record<string, string>;

  constructor(problems: Record<string, string>) {
    const oneLineProblems = Object.fromEntries(Object.entries(problems).map(([name, problem]) => [name, oneLine(problem)]));
    super(
      `invalid configuration: ${Object.entries(oneLineProblems)
        .map(([name, problem]) => `${name} ${problem}`)
        .join('; ')}`,
    );
    this.name = 'ConfigError';
    this.problems = oneLineProblems;
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

/** Any string but the empty one (names, ids: an empty one is always a mistake). */
export const nonEmptyStr = makeValidator<string>((input) => {
  if (String(input).trim().length === 0) throw new EnvError('must not be empty');
  return String(input);
});

/** A legal Kafka topic name: 1 to 249 of A-Z a-z 0-9 . _ - (and not "." or ".."). */
export const topicName = makeValidator<string>((input) => {
  const name = String(input);
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(name) || name === '.' || name === '..') {
    throw new EnvError('must be a Kafka topic name: 1 to 249 of A-Z a-z 0-9 . _ -');
  }
  return name;
});

/** An absolute http:// or https:// URL ("registry:8081" parses as a URL of scheme "registry:"). */
export const httpUrl = makeValidator<string>((input) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(String(input));
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !['http:', 'https:'].includes(parsed.protocol) || parsed.hostname === '') {
    throw new EnvError('must be an http:// or https:// URL');
  }
  return String(input);
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
