#!/usr/bin/env tsx
import { SignJWT } from 'jose';
import { oneLine } from '@wiber/config';
import { USER_ID_PATTERN } from '@wiber/schema';

/**
 * Mints an HS256 token for local use: `npx tsx apps/gateway/src/mint-token.ts alice [ttl-seconds]`.
 * Uses JWT_SECRET (and JWT_ISSUER / JWT_AUDIENCE when set), like the gateway.
 */
export async function mintToken(subject: string, secret: string, ttlSeconds: number, issuer?: string, audience?: string): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuedAt().setExpirationTime(`${ttlSeconds}s`);
  if (issuer) jwt = jwt.setIssuer(issuer);
  if (audience) jwt = jwt.setAudience(audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

const USAGE = 'usage: npx tsx apps/gateway/src/mint-token.ts <user-id> [ttl-seconds]   (needs JWT_SECRET, at least 32 bytes)';

/** What is wrong with the command line or the environment, as one line and an exit code; undefined when nothing is. */
export function mintTokenProblem(argv: readonly string[], secret: string): { line: string; exitCode: number } | undefined {
  const [subject, ttl = '3600', ...extra] = argv;
  if (subject === undefined) return { line: USAGE, exitCode: 2 };
  if (extra.length > 0) return { line: `token: unexpected argument "${oneLine(extra[0] ?? '')}" (${USAGE})`, exitCode: 2 };
  if (!USER_ID_PATTERN.test(subject)) {
    return { line: `token: "${oneLine(subject)}" is not a valid user id (1 to 64 of A-Z a-z 0-9 _ . -)`, exitCode: 2 };
  }
  if (!/^\d+$/.test(ttl) || Number(ttl) < 1 || !Number.isSafeInteger(Number(ttl))) {
    return { line: `token: ttl-seconds must be a whole number of at least 1 (got "${oneLine(ttl)}")`, exitCode: 2 };
  }
  if (Buffer.byteLength(secret) < 32) {
    return { line: "token: invalid configuration: JWT_SECRET must be set to the gateway's secret (at least 32 bytes)", exitCode: 78 };
  }
  return undefined;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    console.log(USAGE);
    return;
  }
  const secret = process.env['JWT_SECRET'] ?? '';
  const problem = mintTokenProblem(argv, secret);
  if (problem !== undefined) {
    console.error(problem.line);
    process.exit(problem.exitCode);
  }
  const [subject = '', ttl = '3600'] = argv;
  console.log(await mintToken(subject, secret, Number(ttl), process.env['JWT_ISSUER'], process.env['JWT_AUDIENCE']));
}

if (require.main === module) void main(process.argv.slice(2));
