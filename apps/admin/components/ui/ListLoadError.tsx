/**
 * A paged list that failed to load: the API's words, a retry, and (past the first page, where a
 * stale cursor is the likely cause) the way back to the start.
 */
export function ListLoadError({
  message,
  onRetry,
  onFirstPage,
}: {
  message: string;
  onRetry: () => void;
  /** Given when a page other than the first was asked for. */
  onFirstPage?: () => void;
}) {
  return (
    <div className="notice danger" role="alert">
      <p>{message}</p>
      <div className="row">
        <button type="button" className="button small" onClick={onRetry}>
          Try again
        </button>
        {onFirstPage && <FirstPageButton onClick={onFirstPage} />}
      </div>
    </div>
  );
}

/** Back to the first page of a keyset-paged list. */
export function FirstPageButton({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="button small" onClick={onClick}>
      Back to the first page
    </button>
  );
}
