'use client';

import { type Dispatch, type FormEvent, type ReactNode, type SetStateAction, useState } from 'react';
import type { DialogSize } from '@/components/ui/Dialog';
import { FormDialog } from '@/components/ui/FormDialog';
import { api } from '@/lib/api';
import { useFormSubmit } from '@/lib/use-form-submit';
import type { ResourceList, ResourceRow } from './useResourceList';

type Messages = Record<string, string>;

/** A draft checked before sending: the body to send, or the messages that stop it. */
export type Checked<Body> =
  | { errors: Messages; formError?: string }
  | {
      body: Body;
      /** Places the API's field messages on the form's keys (e.g. the cells of a grid). */
      mapErrors?: (fields: Messages) => Messages;
    };

/** What the fields of a resource dialog are drawn from. */
export interface ResourceForm<T, Draft> {
  /** Null: creating. */
  record: T | null;
  draft: Draft;
  set<K extends keyof Draft>(key: K, value: Draft[K]): void;
  setDraft: Dispatch<SetStateAction<Draft>>;
  /** Messages by field key, from the check or from the API. */
  errors: Messages;
}

export interface ResourceDialogProps<T extends ResourceRow, Draft, Body, Answer> {
  list: ResourceList<T>;
  title: (record: T | null) => string;
  submitLabel: (record: T | null) => string;
  /** The form's message when the API did not answer. */
  fallbackError: string;
  /** The form's starting values: the record's, or a new one's. */
  draftOf: (record: T | null) => Draft;
  check: (draft: Draft, record: T | null) => Checked<Body>;
  /** What happens with the API's answer; by default the list shows it (`list.saved`). */
  onSaved?: (answer: Answer, created: boolean) => void;
  size?: DialogSize;
  children: (form: ResourceForm<T, Draft>) => ReactNode;
}

/**
 * The create/edit dialog of a `useResourceList` screen: the fields start from `draftOf` each time
 * it opens; on submit the draft is checked, POSTed to the collection (new) or PATCHed to the row,
 * and the API's refusal stays in the form, on the fields it names.
 */
export function ResourceDialog<T extends ResourceRow, Draft, Body, Answer = T>(
  props: ResourceDialogProps<T, Draft, Body, Answer>,
) {
  // A new key on each opening: a fresh draft and no messages from the last time.
  return <ResourceDialogForm key={props.list.editor.key} {...props} />;
}

function ResourceDialogForm<T extends ResourceRow, Draft, Body, Answer>({
  list,
  title,
  submitLabel,
  fallbackError,
  draftOf,
  check,
  onSaved,
  size,
  children,
}: ResourceDialogProps<T, Draft, Body, Answer>) {
  const { open, record } = list.editor;
  const [draft, setDraft] = useState<Draft>(() => draftOf(record));
  const { busy, errors, setErrors, formError, setFormError, submit } = useFormSubmit(fallbackError);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = check(draft, record);
    if (!('body' in checked)) {
      setErrors(checked.errors);
      setFormError(checked.formError ?? null);
      return;
    }
    setErrors({});
    setFormError(null);
    const { body, mapErrors } = checked;
    const answer = await submit(
      () => (record ? api.patch<Answer>(list.itemPath(record), body) : api.post<Answer>(list.path, body)),
      mapErrors,
    );
    if (answer === undefined) return;
    if (onSaved) onSaved(answer, !record);
    else list.saved(answer as unknown as T, !record);
  };

  return (
    <FormDialog
      open={open}
      title={title(record)}
      onClose={list.closeEditor}
      onSubmit={onSubmit}
      busy={busy}
      error={formError}
      submitLabel={submitLabel(record)}
      size={size}
    >
      {children({ record, draft, set, setDraft, errors })}
    </FormDialog>
  );
}
