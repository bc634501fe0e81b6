'use client';

/**
 * Shown when a save found a newer version of the product: nothing of ours was written over
 * theirs, and the choice of what happens next is the editor's.
 */
export function ConflictNotice({
  busy,
  onReloadTheirs,
  onKeepMine,
}: {
  busy: boolean;
  onReloadTheirs: () => void;
  onKeepMine: () => void;
}) {
  return (
    <div className="notice warning stack" role="alert" data-testid="version-conflict">
      <div>
        <strong>Someone else saved this product since you opened it.</strong>
        <p>
          Your edits were not saved and are still on this page. Reload their version (your edits are
          discarded), or load theirs with your edits applied on top, check the result and save again.
        </p>
      </div>
      <div className="row">
        <button type="button" className="button" onClick={onReloadTheirs} disabled={busy}>
          Reload their version
        </button>
        <button type="button" className="button" onClick={onKeepMine} disabled={busy}>
          Apply my edits to their version
        </button>
      </div>
    </div>
  );
}
