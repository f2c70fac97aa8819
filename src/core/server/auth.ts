// Bearer token authentication: one random token made at start, compared in constant time.
// The token is never logged: the request log prints only the method, path and status, and
// errors quote no header.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh token: 32 random bytes, base64url (what kubeconfig and the Authorization header carry). */
export function makeToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether an Authorization header carries `token`. The bytes are compared in constant time; a
 * length that differs fails at once, which tells a caller only that its token is wrong.
 */
export function authorized(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1], 'utf8');
  const expected = Buffer.from(token, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
