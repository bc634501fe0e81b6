import { type ReactNode, useId } from 'react';
import styles from './settings.module.css';

/** One part of the settings page: its heading and what it is for, actions on the right, then the body. */
export function SettingsSection({
  title,
  description,
  actions,
  card = false,
  children,
}: {
  title: string;
  description: ReactNode;
  actions?: ReactNode;
  /** Framed as a card (a form), rather than a bare table. */
  card?: boolean;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className={card ? `card ${styles.section}` : styles.section} aria-labelledby={headingId}>
      <div className={styles.sectionHead}>
        <div>
          <h2 id={headingId}>{title}</h2>
          <p className="muted">{description}</p>
        </div>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** The card a section shows when it has nothing to list yet. */
export function EmptyState({ children }: { children: ReactNode }) {
  return <div className={`card muted ${styles.empty}`}>{children}</div>;
}
