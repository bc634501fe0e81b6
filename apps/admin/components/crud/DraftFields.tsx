'use client';

import type { InputHTMLAttributes, ReactNode } from 'react';
import { CheckField, Field } from '@/components/ui/Field';
import type { ResourceForm } from './ResourceDialog';

type KeysOf<Draft, V> = { [K in keyof Draft]: Draft[K] extends V ? K : never }[keyof Draft] & string;
type DraftForm<Draft> = Pick<ResourceForm<unknown, Draft>, 'draft' | 'set' | 'errors'>;

interface Labelled<Draft, V> {
  form: DraftForm<Draft>;
  /** The draft's key the control edits. */
  name: KeysOf<Draft, V>;
  label: ReactNode;
  hint?: ReactNode;
  /** Where the API's message for it is, when the API names the field otherwise (`ratePpm` for a percent). */
  errorKey?: string;
}

/** A text input bound to one string of a resource dialog's draft, with its label, hint and message. */
export function DraftText<Draft>({
  form,
  name,
  label,
  hint,
  errorKey,
  ...input
}: Labelled<Draft, string> &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'name' | 'value' | 'onChange'>) {
  return (
    <Field label={label} hint={hint} error={form.errors[errorKey ?? name]}>
      <input
        type="text"
        {...input}
        value={form.draft[name] as string}
        onChange={(e) => form.set(name, e.target.value as Draft[typeof name])}
      />
    </Field>
  );
}

/** A checkbox bound to one boolean of a resource dialog's draft. */
export function DraftCheck<Draft>({ form, name, label, hint, errorKey }: Labelled<Draft, boolean>) {
  return (
    <CheckField
      label={label}
      hint={hint}
      error={form.errors[errorKey ?? name]}
      checked={form.draft[name] as boolean}
      onChange={(value) => form.set(name, value as Draft[typeof name])}
    />
  );
}
