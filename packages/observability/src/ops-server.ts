import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { runHealthChecks, type HealthCheck } from './health';

export interface OpsServerOptions {
  port: number;
  /** 127.0.0.1 unless told otherwise; a container sets 0.0.0.0 so Prometheus can scrape it */
  host?: string;
  registry: Registry;
  /** checks behind /health/readiness; liveness only says the process answers */
  readiness: Record<string, HealthCheck>;
}

/**
 * The small HTTP server every non-HTTP app (consumers, leader-metrics) exposes:
 * GET /metrics, /health/liveness, /health/readiness.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET') {
      reply(405, 'application/problem+json', JSON.stringify({ title: 'Method Not Allowed', status: 405 }));
      return;
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => reply(200, options.registry.contentType, text),
        (error: unknown) => reply(500, 'text/plain', String(error)),
      );
    } else if (path === '/health/liveness') {
      reply(200, 'application/json', JSON.stringify({ status: 'up' }));
    } else if (path === '/health/readiness') {
      runHealthChecks(options.readiness).then((report) =>
        reply(report.status === 'up' ? 200 : 503, 'application/json', JSON.stringify(report)),
      );
    } else {
      reply(404, 'application/problem+json', JSON.stringify({ title: 'Not Found', status: 404, detail: `No route ${path}` }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}
