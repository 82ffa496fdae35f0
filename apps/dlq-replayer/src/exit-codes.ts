/** The process exit codes of wiber-dlq (documented in the README and `wiber-dlq --help`). */
export const EXIT = {
  ok: 0,
  /** a bug or an error nothing else describes */
  internal: 1,
  /** bad flags or arguments, or replay without --yes where nobody can confirm */
  usage: 2,
  /** some dead letters could not be replayed (the rest were, and are committed) */
  partial: 3,
  /** the DLQ topic or the record asked for does not exist */
  notFound: 4,
  /** the operator answered no at the confirmation prompt */
  declined: 5,
  /** Kafka could not be reached within the time allowed (EX_UNAVAILABLE) */
  unavailable: 69,
  /** an environment variable is invalid (EX_CONFIG, as the other apps) */
  config: 78,
  /** stopped by SIGINT/SIGTERM; what was replayed is committed */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error meant for the operator: `message` is printed as one line, then the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const EXIT_CODES_HELP = `
Exit codes:
  0    done (also when there was nothing to do)
  1    unexpected error
  2    bad flags or arguments; replay without --yes when stdin is not a terminal
  3    some dead letters failed to replay (the others were replayed and committed)
  4    the DLQ topic, a partition or the record asked for does not exist
  5    replay declined at the confirmation prompt
  69   Kafka unreachable within --timeout
  78   invalid environment variable (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, ...)
  130  interrupted (SIGINT/SIGTERM); what was replayed is committed, run again to go on`;
