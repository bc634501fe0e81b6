import type { KeysetPages } from '@/lib/use-keyset-pages';
import styles from './Pager.module.css';

/** "← Previous" / "Next →" under a keyset-paged table; nothing when everything fits on one page. */
export function Pager({
  pages,
  nextCursor,
  busy,
}: {
  pages: KeysetPages;
  nextCursor: string | null;
  /** While a page loads: no second click that would race it. */
  busy: boolean;
}) {
  if (!pages.cursor && !nextCursor) return null;
  return (
    <nav className={styles.pager} aria-label="Pages">
      {pages.cursor && (
        <button
          type="button"
          className="button"
          onClick={() => pages.go(pages.previous ?? '')}
          disabled={busy}
        >
          {pages.previous !== undefined ? '← Previous' : '← First page'}
        </button>
      )}
      <span className="spacer" />
      {nextCursor && (
        <button type="button" className="button" onClick={() => pages.next(nextCursor)} disabled={busy}>
          Next →
        </button>
      )}
    </nav>
  );
}

/** "Load more" under a table that grows a page at a time (`useCursorList`). */
export function LoadMore({ onLoad, loading }: { onLoad: () => void; loading: boolean }) {
  return (
    <div className="row" style={{ justifyContent: 'center' }}>
      <button type="button" className="button" onClick={onLoad} disabled={loading}>
        {loading ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
