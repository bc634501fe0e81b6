'use client';

import { useCallback, useState } from 'react';
import { useToasts } from '@/components/ui/Toasts';
import { api, isApiError } from '@/lib/api';
import { type CursorList, useCursorList } from '@/lib/use-cursor-list';

export interface ResourceRow {
  id: string;
}

export interface ResourceListOptions<T> {
  /** The collection: GET lists it, POST adds to it, PATCH and DELETE `${path}/${id}` change one row. */
  path: string;
  /** The list GET's query string (search, page size), from `query()`. */
  query?: string;
  /**
   * Shown a page at a time ("Load more"): an edit replaces its row in place, because reloading
   * would drop the pages loaded after the first. Unpaged lists reload after every save, so a row
   * moves to where the API sorts it.
   */
  paged?: boolean;
  /** Toasts after a write; none when the function is not given (the screen says it its own way). */
  notices?: {
    created?: (row: T) => string;
    saved?: (row: T) => string;
    deleted?: (row: T) => string;
  };
}

/** Which row the create/edit dialog is open for; `key` is new on each opening, for a fresh form. */
export interface Editor<T> {
  key: number;
  open: boolean;
  /** Null: creating. */
  record: T | null;
}

export interface ResourceList<T> extends CursorList<T> {
  path: string;
  itemPath(row: T): string;
  editor: Editor<T>;
  create(): void;
  edit(row: T): void;
  closeEditor(): void;
  /** What a dialog saved: the editor closes, the row shows at once, the notice is toasted. */
  saved(row: T, created: boolean): void;
  /** The row a delete confirmation is open for. */
  deleting: T | null;
  askDelete(row: T): void;
  closeDelete(): void;
  /** DELETEs the row asked about; rejects with the API's refusal, which the confirmation shows. */
  deleteAsked(): Promise<void>;
  /** Shows `row` in place of the one with its id, or appended when new. */
  upsert(row: T): void;
  /** The key of the row action running now (its button disabled meanwhile). */
  busy: string | null;
  /** Runs one row action (a toggle, a test send); a refusal becomes a toast with `failMessage`. */
  act(key: string, run: () => Promise<void>, failMessage: string): Promise<void>;
  /** PATCHes part of a row and shows the answer. */
  update(row: T, patch: Record<string, unknown>): Promise<T>;
}

/**
 * The state of a settings-style CRUD screen: its list (from the API, a page at a time when
 * paged), the create/edit dialog, the delete confirmation and row actions, all writing through
 * the collection's `path`.
 */
export function useResourceList<T extends ResourceRow>({
  path,
  query = '',
  paged = false,
  notices = {},
}: ResourceListOptions<T>): ResourceList<T> {
  const { notify, fail } = useToasts();
  const list = useCursorList<T>(`${path}${query}`);
  const { setItems, reload } = list;
  const [editor, setEditor] = useState<Editor<T>>({ key: 0, open: false, record: null });
  const [deleting, setDeleting] = useState<T | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const itemPath = useCallback((row: T) => `${path}/${row.id}`, [path]);
  const upsert = useCallback(
    (row: T) =>
      setItems((items) =>
        items.some((item) => item.id === row.id)
          ? items.map((item) => (item.id === row.id ? row : item))
          : [...items, row],
      ),
    [setItems],
  );
  const drop = (row: T) => setItems((items) => items.filter((item) => item.id !== row.id));

  const open = (record: T | null) => setEditor((e) => ({ key: e.key + 1, open: true, record }));
  const closeEditor = () => setEditor((e) => ({ ...e, open: false }));

  const saved = (row: T, created: boolean) => {
    closeEditor();
    upsert(row);
    if (created || !paged) reload();
    const notice = created ? notices.created : notices.saved;
    if (notice) notify(notice(row));
  };

  const deleteAsked = async () => {
    if (!deleting) return;
    try {
      await api.delete(itemPath(deleting));
    } catch (caught) {
      // Someone else deleted it already: it goes from the list, and the dialog says why.
      if (isApiError(caught) && caught.status === 404) drop(deleting);
      throw caught;
    }
    drop(deleting);
    if (notices.deleted) notify(notices.deleted(deleting));
  };

  const act = async (key: string, run: () => Promise<void>, failMessage: string) => {
    setBusy(key);
    try {
      await run();
    } catch (caught) {
      fail(caught, failMessage);
    } finally {
      setBusy(null);
    }
  };

  const update = async (row: T, patch: Record<string, unknown>) => {
    const answer = await api.patch<T>(itemPath(row), patch);
    upsert(answer);
    return answer;
  };

  return {
    ...list,
    path,
    itemPath,
    editor,
    create: () => open(null),
    edit: (row) => open(row),
    closeEditor,
    saved,
    deleting,
    askDelete: setDeleting,
    closeDelete: () => setDeleting(null),
    deleteAsked,
    upsert,
    busy,
    act,
    update,
  };
}
