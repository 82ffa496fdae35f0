import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import type { Registry } from 'prom-client';
import swaggerUi from 'swagger-ui-express';
import { correlationIdMiddleware, requestMetricsMiddleware, runHealthChecks, type HealthCheck, type Logger } from '@wiber/observability';
import type { AuthConfig } from './config';
import { authenticate } from './auth';
import { openApiDocument, ROUTES } from './openapi';
import { HttpProblem, sendProblem } from './problem';
import { messagesRouter, type MessagesDeps } from './messages-routes';
import { statsHandler, type SnapshotSource } from './stats';

export interface AppDeps extends MessagesDeps {
  auth: AuthConfig;
  bodyLimitBytes: number;
  registry: Registry;
  logger: Logger;
  readiness: Record<string, HealthCheck>;
  stats: SnapshotSource;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(correlationIdMiddleware());
  app.use(requestMetricsMiddleware(deps.registry));

  app.get('/health/liveness', (_req, res) => {
    res.json({ status: 'up' });
  });
  app.get('/health/readiness', async (_req, res) => {
    const report = await runHealthChecks(deps.readiness);
    res.status(report.status === 'up' ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.get('/stats', statsHandler(deps.stats));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApiDocument as unknown as swaggerUi.JsonObject));

  app.use('/messages', authenticate(deps.auth), messagesRouter(deps, deps.bodyLimitBytes));

  app.use(notFoundOrMethodNotAllowed);
  app.use(problemHandler(deps.logger));
  return app;
}

function notFoundOrMethodNotAllowed(req: Request, _res: Response, next: (error: unknown) => void): void {
  const route = ROUTES.find((r) => matches(r.path, req.path));
  if (route === undefined) {
    next(new HttpProblem(404, 'Not found', `no route ${req.method} ${req.path.slice(0, 200)}`));
    return;
  }
  const allow = route.methods.includes('GET') ? [...route.methods, 'HEAD'] : [...route.methods];
  next(new HttpProblem(405, 'Method not allowed', `${req.method} is not allowed on ${route.path}; use ${allow.join(', ')}`, { headers: { Allow: allow.join(', ') } }));
}

function matches(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.replace(/\/+$/, '').split('/');
  return t.length === p.length && t.every((segment, i) => segment.startsWith(':') || segment === p[i]);
}

/** Every error becomes problem+json; only our own faults are 5xx. */
function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const problem = toProblem(error);
    if (problem.status >= 500) {
      logger.error('request failed', { method: req.method, path: req.path, status: problem.status, error: error instanceof Error ? error.stack : String(error) });
    }
    if (res.headersSent) return;
    sendProblem(res, problem, req.originalUrl.slice(0, 300));
  };
}

/** body-parser errors carry `type` and `status`; map them to precise client errors. */
function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  switch (type) {
    case 'entity.too.large':
      return new HttpProblem(413, 'Body too large', (error as Error).message);
    case 'entity.parse.failed':
      return new HttpProblem(400, 'Malformed JSON', `the body is not valid JSON: ${(error as Error).message}`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'Unsupported media type', (error as Error).message);
    case 'request.aborted':
      return new HttpProblem(400, 'Request aborted', 'the client closed the request before the body arrived');
    default:
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return new HttpProblem(status, 'Invalid request', (error as Error).message);
      }
      return new HttpProblem(500, 'Internal error', 'the gateway failed to handle the request; it has been logged');
  }
}
