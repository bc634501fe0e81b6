import { type Queryable, rows, sql, type Tx } from '@e3d/db';
import { AppError } from './errors.ts';
import { type AuditContext, recordAudit } from './modules/audit/record.ts';

export type WriteKind = 'create' | 'update' | 'delete';

export interface AuditedResourceOptions<Doc> {
  /** The table its rows live in, locked by `id` (a trusted identifier, never input). */
  table: string;
  /** The audit log's entity type, and the prefix of its actions: `promotion` → `promotion.update`. */
  entity: string;
  /** The document the API answers with and the audit log keeps; null when there is no such row. */
  read: (conn: Queryable, id: string) => Promise<Doc | null>;
  /** The 404 for an id with no row. */
  notFound: (id: string) => AppError;
  /** Runs one write in a transaction, e.g. one that turns unique-index races into 409s. */
  transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  /**
   * Rows with a `version` column: a write that names the version its client read is refused
   * (409 version_conflict) once the row has moved on, and every update bumps it.
   */
  versioned?: boolean;
  /** Runs after each write in its transaction (storefront revalidation, webhook events). */
  afterWrite?: (tx: Tx, write: { kind: WriteKind; before: Doc | null; after: Doc | null }) => Promise<void>;
}

export interface UpdateOptions {
  /** The audit action; `<entity>.update` unless named. */
  action?: string;
  /** The version the client last read (versioned resources); undefined skips the check. */
  version?: number | undefined;
}

export interface DeleteOptions<Doc, R> {
  /** The version the client last read (versioned resources); undefined skips the check. */
  version?: number | undefined;
  /** Runs on the locked row before it goes: refuses by throwing, or gathers what the caller needs. */
  check?: (tx: Tx, before: Doc) => Promise<R>;
}

/**
 * The frame every admin write of one row shares: lock the row (404 when it is gone), check the
 * version the client saw, apply the change, bump the version, and append the audit entry with
 * the document before and after — all in one transaction, so the entry commits with the change
 * or not at all.
 */
export class AuditedResource<T> {
  constructor(private readonly options: AuditedResourceOptions<T>) {}

  /** The document, or the resource's 404. */
  async get(conn: Queryable, id: string): Promise<T> {
    const doc = await this.options.read(conn, id);
    if (!doc) throw this.options.notFound(id);
    return doc;
  }

  /**
   * Locks the row for the rest of the transaction and checks the caller saw its current
   * version, so two editors cannot overwrite each other's changes unseen.
   */
  async lockRow(tx: Tx, id: string, expected?: number): Promise<void> {
    const { table, entity, versioned } = this.options;
    const [row] = await rows<{ version: number | null }>(
      tx,
      sql`SELECT ${versioned ? sql`version` : sql`NULL::int`} AS version FROM ${sql.raw(table)}
          WHERE id = ${id} FOR UPDATE`,
    );
    if (!row) throw this.options.notFound(id);
    if (versioned && expected !== undefined && row.version !== expected) {
      throw new AppError(
        409,
        'version_conflict',
        `The ${entity} changed since version ${expected}; it is now at version ${row.version}. Reload it and apply your change again.`,
        undefined,
        { currentVersion: row.version },
      );
    }
  }

  /** `lockRow`, then the locked row's document. */
  async lock(tx: Tx, id: string, expected?: number): Promise<T> {
    await this.lockRow(tx, id, expected);
    return this.get(tx, id);
  }

  /** Moves a versioned row to its next version; answers the new one. */
  async bumpVersion(tx: Tx, id: string): Promise<number> {
    const [row] = await rows<{ version: number }>(
      tx,
      sql`UPDATE ${sql.raw(this.options.table)} SET version = version + 1 WHERE id = ${id} RETURNING version`,
    );
    return row?.version ?? 0;
  }

  /** `insert` writes the row (and whatever belongs to it) and answers its id. */
  create(ctx: AuditContext, insert: (tx: Tx) => Promise<string>): Promise<T> {
    return this.options.transaction(async (tx) => {
      const id = await insert(tx);
      const after = await this.get(tx, id);
      await this.audit(tx, ctx, 'create', `${this.options.entity}.create`, id, null, after);
      return after;
    });
  }

  /** `change` writes to the locked row; the answer is the document after it. */
  update(
    ctx: AuditContext,
    id: string,
    change: (tx: Tx, before: T) => Promise<void>,
    options: UpdateOptions = {},
  ): Promise<T> {
    return this.options.transaction(async (tx) => {
      const before = await this.lock(tx, id, options.version);
      await change(tx, before);
      if (this.options.versioned) await this.bumpVersion(tx, id);
      const after = await this.get(tx, id);
      const action = options.action ?? `${this.options.entity}.update`;
      await this.audit(tx, ctx, 'update', action, id, before, after);
      return after;
    });
  }

  /** Deletes the row (its own rows go by cascade); answers what `check` gathered. */
  delete<R = void>(ctx: AuditContext, id: string, options: DeleteOptions<T, R> = {}): Promise<R> {
    return this.options.transaction(async (tx) => {
      const before = await this.lock(tx, id, options.version);
      const gathered = (await options.check?.(tx, before)) as R;
      await rows(tx, sql`DELETE FROM ${sql.raw(this.options.table)} WHERE id = ${id}`);
      await this.audit(tx, ctx, 'delete', `${this.options.entity}.delete`, id, before, null);
      return gathered;
    });
  }

  private async audit(
    tx: Tx,
    ctx: AuditContext,
    kind: WriteKind,
    action: string,
    id: string,
    before: T | null,
    after: T | null,
  ): Promise<void> {
    await recordAudit(tx, { ...ctx, action, entityType: this.options.entity, entityId: id, before, after });
    await this.options.afterWrite?.(tx, { kind, before, after });
  }
}
