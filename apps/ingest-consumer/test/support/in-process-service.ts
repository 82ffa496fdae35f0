import { PassThrough } from 'node:stream';
import { Registry } from 'prom-client';
import { createLogger } from '@wiber/observability';
import { loadIngestConfig } from '../../src/config';
import { createIngestService, type IngestService } from '../../src/ingest-service';

/** The service as main.ts wires it, minus the process: logs are captured as parsed JSON lines. */
export class InProcessService {
  readonly registry = new Registry();
  readonly service: IngestService;
  readonly logs: Array<Record<string, unknown>> = [];
  readonly fatalErrors: Error[] = [];
  private readonly stream = new PassThrough();

  constructor(env: Record<string, string>) {
    const config = loadIngestConfig(env);
    this.stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) this.logs.push(JSON.parse(line) as Record<string, unknown>);
    });
    const logger = createLogger({ service: 'ingest-consumer', instance: 'int-test', level: config.logLevel, stream: this.stream });
    this.service = createIngestService(config, { logger, registry: this.registry, onFatal: (error) => this.fatalErrors.push(error) });
  }

  start(): Promise<void> {
    return this.service.start();
  }

  stop(): Promise<void> {
    return this.service.stop();
  }

  /** Current value of a counter or gauge series whose labels include `labels`. */
  async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const values = (await this.registry.getSingleMetric(name)?.get())?.values ?? [];
    return values
      .filter((v) => Object.entries(labels).every(([key, value]) => v.labels[key] === value))
      .reduce((sum, v) => sum + v.value, 0);
  }
}
