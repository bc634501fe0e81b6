import { RowActions } from '@/components/ui/RowActions';

/** One button at the end of a table row. */
export interface RowButton {
  label: string;
  /** What screen readers hear: the label and what it acts on ("Delete SUMMER10"). */
  name: string;
  onClick: () => void;
  disabled?: boolean;
  danger?: boolean;
  /** A toggle's state (aria-pressed). */
  pressed?: boolean;
  title?: string;
}

/** A row's buttons, declared as data; `wrap` lets many of them take two lines. */
export function RowButtons({ buttons, wrap = false }: { buttons: RowButton[]; wrap?: boolean }) {
  const list = buttons.map((button) => (
    <button
      key={button.name}
      type="button"
      className={button.danger ? 'button small danger' : 'button small'}
      onClick={button.onClick}
      disabled={button.disabled}
      aria-pressed={button.pressed}
      title={button.title}
      aria-label={button.name}
    >
      {button.label}
    </button>
  ));
  if (!wrap) return <RowActions>{list}</RowActions>;
  return (
    <div className="row" style={{ justifyContent: 'flex-end' }}>
      {list}
    </div>
  );
}
