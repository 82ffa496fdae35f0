import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';
import { acceptCorrelationId, CORRELATION_HTTP_HEADER, withCorrelationId } from './correlation';

/**
 * Takes the caller's X-Request-Id (or makes one), echoes it on the response and makes it
 * the correlation id for everything done while handling the request.
 */
export function correlationIdMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = acceptCorrelationId(req.get(CORRELATION_HTTP_HEADER));
    res.setHeader(CORRELATION_HTTP_HEADER, id);
    res.locals['correlationId'] = id;
    withCorrelationId(id, next);
  };
}

/**
 * Request count and latency by method, route template (not the raw path: user ids would
 * explode cardinality) and status.
 */
export function requestMetricsMiddleware(registry: Registry): RequestHandler {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'wiber_http_requests_total',
    help: 'HTTP requests handled, by method, route and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'wiber_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route and status',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = duration.startTimer();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status: String(res.statusCode) };
      requests.inc(labels);
      stop(labels);
    });
    next();
  };
}

function routeLabel(req: Request): string {
  const route: unknown = req.route;
  if (route !== null && typeof route === 'object' && 'path' in route && typeof route.path === 'string') {
    return `${req.baseUrl}${route.path}`;
  }
  return 'unmatched';
}
