import type { Response } from 'express';

/** A field-level problem, with a JSON Pointer into the request body or a parameter name. */
export interface FieldProblem {
  pointer: string;
  detail: string;
}

/** RFC 9457 problem details. `type` is a stable URN per kind of problem. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
}

/** An error that becomes a problem+json response; thrown anywhere in request handling. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly extras: { errors?: FieldProblem[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  get slug(): string {
    return this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  }
}

export function sendProblem(res: Response, problem: HttpProblem, instance: string): void {
  const body: Problem = {
    type: `urn:wiber:problem:${problem.slug}`,
    title: problem.title,
    status: problem.status,
    detail: problem.message,
    instance,
    ...(problem.extras.errors !== undefined ? { errors: problem.extras.errors } : {}),
  };
  for (const [name, value] of Object.entries(problem.extras.headers ?? {})) res.setHeader(name, value);
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

export const badRequest = (detail: string, errors?: FieldProblem[]): HttpProblem =>
  new HttpProblem(400, 'Invalid request', detail, errors !== undefined ? { errors } : {});

/** The service cannot do it right now; the client should retry after `retryAfterSeconds`. */
export const serviceUnavailable = (detail: string, retryAfterSeconds = 5): HttpProblem =>
  new HttpProblem(503, 'Service unavailable', detail, { headers: { 'Retry-After': String(retryAfterSeconds) } });
