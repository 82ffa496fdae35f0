import { bool, hostPortList, httpUrl, nonEmptyStr, positiveInt, readEnv } from '@wiber/config';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** base URL of the Confluent-compatible Schema Registry API (path prefix included) */
  schemaRegistryUrl: string;
}

export const LOCAL_BROKERS = ['127.0.0.1:9092', '127.0.0.1:9093', '127.0.0.1:9094'];
export const LOCAL_SCHEMA_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

/** Reads KAFKA_* and SCHEMA_REGISTRY_URL; defaults fit the local stack. Throws ConfigError. */
export function loadKafkaConfig(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaConfig {
  const parsed = readEnv(
    {
      KAFKA_BROKERS: hostPortList({ default: LOCAL_BROKERS, desc: 'bootstrap servers, host:port,...' }),
      KAFKA_CLIENT_ID: nonEmptyStr({ default: clientId }),
      KAFKA_SSL: bool({ default: false }),
      KAFKA_CONNECTION_TIMEOUT_MS: positiveInt({ default: 3000 }),
      KAFKA_REQUEST_TIMEOUT_MS: positiveInt({ default: 30000 }),
      SCHEMA_REGISTRY_URL: httpUrl({ default: LOCAL_SCHEMA_REGISTRY_URL }),
    },
    env,
  );
  return {
    brokers: parsed.KAFKA_BROKERS,
    clientId: parsed.KAFKA_CLIENT_ID,
    ssl: parsed.KAFKA_SSL,
    connectionTimeoutMs: parsed.KAFKA_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: parsed.KAFKA_REQUEST_TIMEOUT_MS,
    schemaRegistryUrl: parsed.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''),
  };
}
