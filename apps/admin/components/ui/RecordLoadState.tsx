import type { ReactNode } from 'react';
import type { ApiData } from '@/lib/use-api-data';
import { PageHeader } from './PageHeader';

/**
 * A single-record page (an order, a customer) before its record is there: a spinner while it
 * loads, "not found" for an id that matches nothing (400: not even a well-formed id), or the
 * API's words with a retry.
 */
export function RecordLoadState({
  record,
  title,
  noun,
  back,
}: {
  record: Pick<ApiData<unknown>, 'errorMessage' | 'errorStatus' | 'reload'>;
  /** The page's heading, e.g. "Order". */
  title: string;
  /** What the record is, in a sentence, e.g. "order". */
  noun: string;
  back: ReactNode;
}) {
  if (!record.errorMessage) {
    return (
      <div aria-busy="true" className="stack">
        <PageHeader title={title} back={back} />
        <span className="spinner" role="status" aria-label={`Loading the ${noun}`} />
      </div>
    );
  }
  const missing = record.errorStatus === 404 || record.errorStatus === 400;
  return (
    <>
      <PageHeader title={missing ? `${title} not found` : title} back={back} />
      <div className="notice danger" role="alert">
        <p>
          {missing
            ? `There is no such ${noun}. It may have been mistyped in the address.`
            : record.errorMessage}
        </p>
        {!missing && (
          <button type="button" className="button small" onClick={record.reload}>
            Try again
          </button>
        )}
      </div>
    </>
  );
}
