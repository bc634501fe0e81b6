import { randomUUID } from 'node:crypto';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  hashOpaqueToken,
  issueAccessToken,
  newOpaqueToken,
  type Principal,
} from '@e3d/auth';
import { type Connection, type Database, type RefreshTokenRow, rows, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { inTransaction } from './transaction.ts';

/** How long a refresh token may wait for its one use; each rotation starts the clock again. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

export type SubjectType = Principal['type'];

export interface IssuedTokens {
  accessToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  refreshToken: string;
}

/** Recorded with each refresh token, so a list of sessions can say where each one came from. */
export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

/** The principal a refresh token stands for, as it is now (null: the account may not sign in). */
export type ResolvePrincipal = (conn: Connection, subjectId: string) => Promise<Principal | null>;

type TokenRow = Pick<RefreshTokenRow, 'id' | 'family_id' | 'subject_type' | 'subject_id'> & {
  expired: boolean;
  used: boolean;
  revoked: boolean;
};

export const refreshTokenInvalid = (
  detail = 'The refresh token is unknown, expired or revoked. Sign in again.',
) => new AppError(401, 'refresh_token_invalid', detail);

/**
 * Sign-in sessions: a short-lived access token (JWT) plus an opaque refresh token, stored
 * hashed. Each sign-in starts a family; each refresh uses its token once and issues the
 * successor in the same family. A used token presented again means two parties hold it:
 * the whole family is revoked, the successor included.
 */
export class Sessions {
  constructor(
    private readonly db: Database,
    private readonly secret: Uint8Array,
  ) {}

  /** Sign-in: a new family. Runs on `conn` so it commits with the caller's writes. */
  start(conn: Connection, principal: Principal, client: ClientInfo): Promise<IssuedTokens> {
    return this.issue(conn, principal, randomUUID(), client);
  }

  /** Uses the token once and returns its successor's tokens. */
  async rotate(
    token: string,
    subjectType: SubjectType,
    client: ClientInfo,
    resolve: ResolvePrincipal,
  ): Promise<IssuedTokens> {
    // Revocations must commit even though the caller is refused, so the refusal is thrown
    // only after the transaction.
    const outcome = await inTransaction(
      this.db,
      async (conn): Promise<{ tokens: IssuedTokens } | { refused: AppError }> => {
        const [row] = await rows<TokenRow>(
          conn,
          sql`SELECT id, family_id, subject_type, subject_id, expires_at <= now() AS expired,
                used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked
              FROM refresh_tokens WHERE token_hash = ${hashOpaqueToken(token)} FOR UPDATE`,
        );
        if (!row || row.subject_type !== subjectType) return { refused: refreshTokenInvalid() };
        if (row.used) {
          await revokeFamily(conn, row.family_id);
          return {
            refused: new AppError(
              401,
              'refresh_token_reused',
              'This refresh token was already used: every session it belongs to is signed out. Sign in again.',
            ),
          };
        }
        if (row.revoked || row.expired) return { refused: refreshTokenInvalid() };
        const principal = await resolve(conn, row.subject_id);
        if (!principal) {
          await revokeFamily(conn, row.family_id);
          return { refused: refreshTokenInvalid('This account may not sign in any more.') };
        }
        await rows(conn, sql`UPDATE refresh_tokens SET used_at = now() WHERE id = ${row.id}`);
        return { tokens: await this.issue(conn, principal, row.family_id, client) };
      },
    );
    if ('refused' in outcome) throw outcome.refused;
    return outcome.tokens;
  }

  /** Sign-out: revokes the token's family (nothing happens for an unknown token). */
  async end(token: string, subjectType: SubjectType): Promise<void> {
    await rows(
      this.db,
      sql`UPDATE refresh_tokens SET revoked_at = now()
          WHERE family_id = (
              SELECT family_id FROM refresh_tokens
               WHERE token_hash = ${hashOpaqueToken(token)} AND subject_type = ${subjectType})
            AND revoked_at IS NULL`,
    );
  }

  /** Signs the subject out everywhere, except the session `keepToken` belongs to (if given). */
  async endAll(
    conn: Connection,
    subject: { type: SubjectType; id: string },
    keepToken?: string | null,
  ): Promise<void> {
    const mine = sql`subject_type = ${subject.type} AND subject_id = ${subject.id}`;
    await rows(
      conn,
      sql`UPDATE refresh_tokens SET revoked_at = now()
          WHERE ${mine} AND revoked_at IS NULL
            AND family_id IS DISTINCT FROM (
              SELECT family_id FROM refresh_tokens
               WHERE token_hash = ${keepToken ? hashOpaqueToken(keepToken) : null} AND ${mine}
                 AND used_at IS NULL AND revoked_at IS NULL)`,
    );
  }

  private async issue(
    conn: Connection,
    principal: Principal,
    familyId: string,
    client: ClientInfo,
  ): Promise<IssuedTokens> {
    const { token, hash } = newOpaqueToken();
    await rows(
      conn,
      sql`INSERT INTO refresh_tokens (family_id, subject_type, subject_id, token_hash, expires_at, user_agent, ip)
          VALUES (${familyId}, ${principal.type}, ${principal.id}, ${hash},
            now() + make_interval(secs => ${REFRESH_TOKEN_TTL_SECONDS}), ${client.userAgent}, ${client.ip})`,
    );
    return {
      accessToken: await issueAccessToken(this.secret, principal),
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: token,
    };
  }
}

function revokeFamily(conn: Connection, familyId: string) {
  return rows(
    conn,
    sql`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ${familyId} AND revoked_at IS NULL`,
  );
}
