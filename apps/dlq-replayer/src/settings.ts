import { ConfigError, nonEmptyStr, readEnv, topicName } from '@wiber/config';
import { CONSUMER_GROUPS, loadKafkaConfig, TOPICS, type KafkaConfig } from '@wiber/kafka';
import { CliError, EXIT } from './exit-codes';

export const CLIENT_ID = 'dlq-replayer';

/** Flags that override the environment; shared by every command. */
export interface ConnectionFlags {
  brokers?: string;
  registryUrl?: string;
  dlqTopic?: string;
  /** seconds allowed to reach Kafka */
  timeout: number;
  verbose?: boolean;
}

export interface Settings {
  kafka: KafkaConfig;
  dlqTopic: string;
  /** the replayer's consumer group, whose offsets on the DLQ say what was replayed */
  groupId: string;
  timeoutMs: number;
  verbose: boolean;
}

/**
 * Environment (KAFKA_*, SCHEMA_REGISTRY_URL, DLQ_TOPIC, DLQ_REPLAYER_GROUP_ID), overridden by
 * flags. A flag's value is checked by the same rules as its variable; a bad one is named as
 * the flag.
 */
export function loadSettings(flags: ConnectionFlags, group: string | undefined, env: NodeJS.ProcessEnv = process.env): Settings {
  const merged: NodeJS.ProcessEnv = { ...env };
  const flagOf: Record<string, string> = {};
  const override = (variable: string, flag: string, value: string | undefined): void => {
    if (value === undefined) return;
    merged[variable] = value;
    flagOf[variable] = flag;
  };
  override('KAFKA_BROKERS', '--brokers', flags.brokers);
  override('SCHEMA_REGISTRY_URL', '--registry-url', flags.registryUrl);
  override('DLQ_TOPIC', '--dlq-topic', flags.dlqTopic);
  override('DLQ_REPLAYER_GROUP_ID', '--group', group);
  try {
    const kafka = loadKafkaConfig(CLIENT_ID, merged);
    const own = readEnv(
      {
        DLQ_TOPIC: topicName({ default: TOPICS.messagesDlq }),
        DLQ_REPLAYER_GROUP_ID: nonEmptyStr({ default: CONSUMER_GROUPS.dlqReplayer }),
      },
      merged,
    );
    return { kafka, dlqTopic: own.DLQ_TOPIC, groupId: own.DLQ_REPLAYER_GROUP_ID, timeoutMs: flags.timeout * 1000, verbose: flags.verbose === true };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const flagProblems = Object.entries(error.problems).filter(([name]) => flagOf[name] !== undefined);
    if (flagProblems.length > 0) {
      const [name, problem] = flagProblems[0] ?? ['', ''];
      throw new CliError(`option ${flagOf[name]} ${problem}`, EXIT.usage);
    }
    throw new CliError(error.message, EXIT.config);
  }
}
