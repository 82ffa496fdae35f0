import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from './config';
import { HttpProblem } from './problem';

/** The authenticated caller, when AUTH_MODE=jwt. */
export interface Caller {
  subject: string;
}

const unauthorized = (detail: string): HttpProblem =>
  new HttpProblem(401, 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="wiber"' } });

export const forbidden = (detail: string): HttpProblem => new HttpProblem(403, 'Forbidden', detail);

/**
 * AUTH_MODE=jwt: requires `Authorization: Bearer <JWT>` (HS256 with JWT_SECRET, or any
 * algorithm the JWKS at JWT_JWKS_URL offers) and puts the subject in res.locals.caller.
 * AUTH_MODE=none: passes everything through.
 */
export function authenticate(config: AuthConfig): RequestHandler {
  if (config.mode === 'none') return (_req, _res, next) => next();
  const key: Uint8Array | JWTVerifyGetKey =
    config.secret !== undefined ? new TextEncoder().encode(config.secret) : createRemoteJWKSet(new URL(config.jwksUrl ?? ''));
  const options = {
    ...(config.secret !== undefined ? { algorithms: ['HS256'] } : {}),
    ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
    ...(config.audience !== undefined ? { audience: config.audience } : {}),
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (token === undefined) {
      next(unauthorized(header === undefined ? 'a bearer token is required' : 'Authorization must be "Bearer <token>"'));
      return;
    }
    const verify = typeof key === 'function' ? jwtVerify(token, key, options) : jwtVerify(token, key, options);
    verify.then(
      ({ payload }) => {
        if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
          next(unauthorized('the token has no subject (sub)'));
          return;
        }
        res.locals['caller'] = { subject: payload.sub } satisfies Caller;
        next();
      },
      (error: unknown) => next(unauthorized(`the token is not valid: ${error instanceof Error ? error.message : String(error)}`)),
    );
  };
}

export function callerOf(res: Response): Caller | undefined {
  return res.locals['caller'] as Caller | undefined;
}
