'use client';

import { useCallback, useState } from 'react';
import { fieldErrors } from '@/lib/api';
import { errorDetail } from '@/lib/use-api-data';

/**
 * The state of a form that writes to the API: busy while the request runs, then the API's
 * message for the form and its per-field messages (by field path), for `FormDialog` and `Field`.
 */
export function useFormSubmit<Errors extends Record<string, string> = Record<string, string>>(
  fallbackError: string,
) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>({} as Errors);
  const [formError, setFormError] = useState<string | null>(null);

  /** Clears what an earlier submit said (on opening the form again). */
  const reset = useCallback(() => {
    setErrors({} as Errors);
    setFormError(null);
  }, []);

  /**
   * Runs `send`; its answer on success, undefined when the API refused (messages set).
   * `mapErrors` turns the API's field paths into the form's keys (e.g. rows of a grid).
   */
  const submit = async <T>(
    send: () => Promise<T>,
    mapErrors: (errors: Record<string, string>) => Errors = (errors) => errors as Errors,
  ): Promise<T | undefined> => {
    setBusy(true);
    setFormError(null);
    try {
      return await send();
    } catch (caught) {
      setErrors(mapErrors(fieldErrors(caught)));
      setFormError(errorDetail(caught, fallbackError));
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  return { busy, errors, setErrors, formError, setFormError, reset, submit };
}
