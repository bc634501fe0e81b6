'use client';

import type { AuditEntry, StaffMember } from '@e3d/contracts';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, Fragment, useEffect, useId, useMemo, useState } from 'react';
import { useStaff } from '@/components/session/StaffSession';
import { Field } from '@/components/ui/Field';
import { LoadState } from '@/components/ui/LoadState';
import { PageHeader } from '@/components/ui/PageHeader';
import { fieldErrors, query } from '@/lib/api';
import { dayStartIso, formatDateTime, humanize } from '@/lib/format';
import { useApiData } from '@/lib/use-api-data';
import { AuditDiff } from './AuditDiff';
import styles from './audit.module.css';
import { ENTITY_TYPES, entityHref, entityLabel, KNOWN_ACTIONS } from './audit-entities';

const PAGE_SIZE = 50;
const FILTERS = ['staffId', 'entityType', 'entityId', 'action', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/**
 * The audit log: every staff write, newest first, filtered by who, what and when (kept in the
 * URL so a filtered view can be shared), with each entry's before/after on demand.
 */
export function AuditLog() {
  const { can } = useStaff();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const actionsListId = useId();

  const applied: Filters = useMemo(
    () => Object.fromEntries(FILTERS.map((key) => [key, params.get(key) ?? ''])) as Filters,
    [params],
  );
  const [draft, setDraft] = useState<Filters>(applied);
  useEffect(() => setDraft(applied), [applied]);

  // Cursor of each page seen so far, for the filters they were seen with; the last is the page
  // shown. Other filters start over at the newest page.
  const filterKey = params.toString();
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filterKey,
    cursors: [undefined],
  });
  const cursors = paging.key === filterKey ? paging.cursors : [undefined];
  const setCursors = (update: (list: (string | undefined)[]) => (string | undefined)[]) =>
    setPaging({ key: filterKey, cursors: update(cursors) });
  const cursor = cursors.at(-1);

  const path = can('audit:read')
    ? `/api/admin/audit-log${query({
        staffId: applied.staffId,
        entityType: applied.entityType,
        entityId: applied.entityId,
        action: applied.action,
        from: dayStartIso(applied.from),
        to: dayStartIso(applied.to, 1),
        limit: PAGE_SIZE,
        cursor,
      })}`
    : null;
  const log = useApiData<{ items: AuditEntry[]; nextCursor: string | null }>(path);
  const team = useApiData<{ items: StaffMember[] }>(can('staff:read') ? '/api/admin/staff' : null);
  const [open, setOpen] = useState<Set<number>>(new Set());

  if (!can('audit:read')) {
    return (
      <>
        <PageHeader title="Audit log" />
        <p className="notice warning" role="alert">
          Your role cannot read the audit log. Ask an owner or admin.
        </p>
      </>
    );
  }

  const apply = (filters: Partial<Filters>) => {
    const search = query(filters);
    router.replace(`${pathname}${search}`);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply({ ...draft, entityId: draft.entityId.trim(), action: draft.action.trim() });
  };

  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const errors = fieldErrors(log.error);
  const filtered = FILTERS.some((key) => applied[key]);
  const items = log.data?.items ?? [];
  const set = (key: keyof Filters, value: string) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change staff made, who made it, and what it changed."
      />
      <form className={`card ${styles.filters}`} onSubmit={onSubmit} aria-label="Filter the audit log">
        {team.data ? (
          <Field label="Staff member" error={errors.staffId}>
            <select value={draft.staffId} onChange={(e) => set('staffId', e.target.value)}>
              <option value="">Anyone</option>
              {team.data.items.map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name ? `${member.name} (${member.email})` : member.email}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field label="Entity type" error={errors.entityType}>
          <select value={draft.entityType} onChange={(e) => set('entityType', e.target.value)}>
            <option value="">Any</option>
            {ENTITY_TYPES.map((type) => (
              <option key={type} value={type}>
                {humanize(type)}
              </option>
            ))}
            {draft.entityType && !(ENTITY_TYPES as readonly string[]).includes(draft.entityType) && (
              <option value={draft.entityType}>{draft.entityType}</option>
            )}
          </select>
        </Field>
        <Field label="Action" hint="e.g. product.update" error={errors.action}>
          <input
            type="text"
            list={actionsListId}
            value={draft.action}
            maxLength={100}
            onChange={(e) => set('action', e.target.value)}
          />
        </Field>
        <datalist id={actionsListId}>
          {KNOWN_ACTIONS.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <Field label="Entity id" error={errors.entityId}>
          <input
            type="text"
            value={draft.entityId}
            maxLength={100}
            onChange={(e) => set('entityId', e.target.value)}
          />
        </Field>
        <Field label="From" error={errors.from}>
          <input
            type="date"
            value={draft.from}
            max={draft.to || undefined}
            onChange={(e) => set('from', e.target.value)}
          />
        </Field>
        <Field label="To (inclusive)" error={errors.to}>
          <input
            type="date"
            value={draft.to}
            min={draft.from || undefined}
            onChange={(e) => set('to', e.target.value)}
          />
        </Field>
        <div className={styles.filterActions}>
          <button type="submit" className="button primary">
            Apply filters
          </button>
          {filtered && (
            <button type="button" className="button" onClick={() => apply({})}>
              Clear
            </button>
          )}
        </div>
      </form>

      <p className="visually-hidden" aria-live="polite">
        {log.loading ? 'Loading entries…' : log.data ? `${items.length} entries shown.` : ''}
      </p>

      <div className="stack" style={{ marginTop: '1rem' }}>
        {!log.data || log.error ? (
          <LoadState resource={log} what="The audit log" />
        ) : items.length === 0 ? (
          <div className="card muted" style={{ textAlign: 'center', padding: '2rem' }}>
            {filtered ? 'No entries match these filters.' : 'Nothing has been changed yet.'}
          </div>
        ) : (
          <div className="table-wrap" aria-busy={log.loading}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Staff member</th>
                  <th scope="col">Action</th>
                  <th scope="col">Entity</th>
                  <th scope="col">
                    <span className="visually-hidden">Changes</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => {
                  const href = entityHref(entry, can);
                  const label = entityLabel(entry);
                  const expanded = open.has(entry.id);
                  const diffId = `audit-diff-${entry.id}`;
                  return (
                    <Fragment key={entry.id}>
                      <tr className={styles.entry}>
                        <td>
                          <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                        </td>
                        <td>
                          {entry.staffId ? (
                            <button
                              type="button"
                              className="button link"
                              onClick={() => apply({ ...applied, staffId: entry.staffId ?? '' })}
                              title="Show only this staff member's changes"
                            >
                              {entry.staffEmail}
                            </button>
                          ) : (
                            entry.staffEmail || <span className="muted">System</span>
                          )}
                        </td>
                        <td className="mono">{entry.action}</td>
                        <td>
                          <div>
                            {humanize(entry.entityType)}
                            {label && (
                              <>
                                {': '}
                                {href ? <Link href={href}>{label}</Link> : <strong>{label}</strong>}
                              </>
                            )}
                            {!label && href && (
                              <>
                                {' '}
                                <Link href={href}>Open</Link>
                              </>
                            )}
                          </div>
                          {entry.entityId && (
                            <button
                              type="button"
                              className="button link mono"
                              style={{ fontSize: '0.8rem' }}
                              onClick={() =>
                                apply({ entityType: entry.entityType, entityId: entry.entityId ?? '' })
                              }
                              title="Show this entity's history"
                            >
                              {entry.entityId}
                            </button>
                          )}
                        </td>
                        <td>
                          <button
                            type="button"
                            className="button small"
                            aria-expanded={expanded}
                            aria-controls={expanded ? diffId : undefined}
                            onClick={() => toggle(entry.id)}
                          >
                            {expanded ? 'Hide changes' : 'Changes'}
                          </button>
                        </td>
                      </tr>
                      {expanded && (
                        <tr className={styles.diffRow} id={diffId}>
                          <td colSpan={5}>
                            <AuditDiff action={entry.action} before={entry.before} after={entry.after} />
                            {(entry.requestId || entry.ip) && (
                              <p className="muted" style={{ margin: '0.5rem 0 0', fontSize: '0.8rem' }}>
                                {entry.ip && <>IP {entry.ip}</>}
                                {entry.ip && entry.requestId && ' · '}
                                {entry.requestId && (
                                  <>
                                    request <span className="mono">{entry.requestId}</span>
                                  </>
                                )}
                              </p>
                            )}
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {log.data && (cursors.length > 1 || log.data.nextCursor) && (
          <nav className={styles.pager} aria-label="Audit log pages">
            <span className="muted">Page {cursors.length}</span>
            <button
              type="button"
              className="button"
              disabled={cursors.length === 1 || log.loading}
              onClick={() => setCursors((list) => list.slice(0, -1))}
            >
              Newer
            </button>
            <button
              type="button"
              className="button"
              disabled={!log.data.nextCursor || log.loading}
              onClick={() => {
                const next = log.data?.nextCursor;
                if (next) setCursors((list) => [...list, next]);
              }}
            >
              Older
            </button>
          </nav>
        )}
      </div>
    </>
  );
}
