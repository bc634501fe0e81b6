import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

export type Role = 'owner' | 'admin' | 'catalog_editor' | 'support';

export type Principal = { type: 'customer'; id: string } | { type: 'staff'; id: string; role: Role };

const ISSUER = 'ecommerce-3d';
const AUDIENCE = 'e3d-api';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export class TokenError extends Error {
  constructor(
    readonly code: 'token_expired' | 'token_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/** Short-lived HS256 access token; the refresh token (opaque, rotated) renews it. */
export async function issueAccessToken(
  secret: Uint8Array,
  principal: Principal,
  now = Date.now(),
): Promise<string> {
  const jwt = new SignJWT({
    typ: principal.type,
    ...(principal.type === 'staff' ? { role: principal.role } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + ACCESS_TOKEN_TTL_SECONDS);
  return jwt.sign(secret);
}

export async function verifyAccessToken(secret: Uint8Array, token: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const id = payload.sub;
    if (typeof id !== 'string') throw new TokenError('token_invalid', 'token has no subject');
    if (payload.typ === 'customer') return { type: 'customer', id };
    if (payload.typ === 'staff' && typeof payload.role === 'string' && isRole(payload.role)) {
      return { type: 'staff', id, role: payload.role };
    }
    throw new TokenError('token_invalid', 'token has no valid type');
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof errors.JWTExpired)
      throw new TokenError('token_expired', 'the access token has expired');
    throw new TokenError('token_invalid', 'the access token is not valid');
  }
}

export function isRole(value: string): value is Role {
  return value === 'owner' || value === 'admin' || value === 'catalog_editor' || value === 'support';
}

/** An opaque random token (refresh, reset): only its hash is stored. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
