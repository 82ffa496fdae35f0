import { hostname } from 'node:os';
import winston from 'winston';
import { ConfigError } from '@wiber/config';
import { currentCorrelationId } from './correlation';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LoggerOptions {
  service: string;
  instance?: string;
  level?: LogLevel;
  /** where lines go; defaults to stdout */
  stream?: NodeJS.WritableStream;
}

export type Logger = winston.Logger;

export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}`;
}

const addCorrelationId = winston.format((info) => {
  const correlationId = currentCorrelationId();
  if (correlationId !== undefined && info['correlationId'] === undefined) {
    info['correlationId'] = correlationId;
  }
  return info;
});

/** One JSON object per line: timestamp, level, service, instance, message, correlationId, extra fields. */
export function createLogger(options: LoggerOptions): Logger {
  const transport =
    options.stream === undefined
      ? new winston.transports.Console()
      : new winston.transports.Stream({ stream: options.stream });
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { service: options.service, instance: options.instance ?? defaultInstanceId() },
    format: winston.format.combine(
      addCorrelationId(),
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [transport],
  });
}

export function parseLogLevel(value: string | undefined): LogLevel {
  switch (value ?? 'info') {
    case 'error':
    case 'warn':
    case 'info':
    case 'debug':
      return (value ?? 'info') as LogLevel;
    default:
      throw new ConfigError({ LOG_LEVEL: `must be one of error, warn, info, debug (got "${value}")` });
  }
}
