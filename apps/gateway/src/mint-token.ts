#!/usr/bin/env tsx
import { SignJWT } from 'jose';

/**
 * Mints an HS256 token for local use: `npm run token -- alice [ttl-seconds]`.
 * Uses JWT_SECRET (and JWT_ISSUER / JWT_AUDIENCE when set), like the gateway.
 */
export async function mintToken(subject: string, secret: string, ttlSeconds: number, issuer?: string, audience?: string): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuedAt().setExpirationTime(`${ttlSeconds}s`);
  if (issuer) jwt = jwt.setIssuer(issuer);
  if (audience) jwt = jwt.setAudience(audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

async function main(argv: string[]): Promise<void> {
  const [subject, ttl = '3600'] = argv;
  if (subject === undefined || subject === '--help' || subject === '-h') {
    console.log('usage: npm run token -- <user-id> [ttl-seconds]   (needs JWT_SECRET, at least 32 bytes)');
    process.exit(subject === undefined ? 2 : 0);
  }
  const secret = process.env['JWT_SECRET'] ?? '';
  if (Buffer.byteLength(secret) < 32) {
    console.error('token: set JWT_SECRET to the gateway\'s secret (at least 32 bytes)');
    process.exit(2);
  }
  if (!/^\d+$/.test(ttl)) {
    console.error(`token: ttl-seconds must be a whole number (got "${ttl}")`);
    process.exit(2);
  }
  console.log(await mintToken(subject, secret, Number(ttl), process.env['JWT_ISSUER'], process.env['JWT_AUDIENCE']));
}

if (require.main === module) void main(process.argv.slice(2));
