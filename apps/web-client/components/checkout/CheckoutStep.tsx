import type { ReactNode, Ref } from 'react';
import styles from './CheckoutPage.module.css';
import { STEPS, type Step } from './checkout-reducer';

/** One numbered step of checkout (a tick once the shopper is past it), open when it is the current one. */
export function CheckoutStep({
  step,
  current,
  label,
  headingRef,
  children,
}: {
  step: Step;
  current: Step;
  label: string;
  /** The heading takes focus when the shopper arrives at the step. */
  headingRef: Ref<HTMLHeadingElement>;
  children: ReactNode;
}) {
  const position = STEPS.indexOf(step);
  const done = position < STEPS.indexOf(current);
  return (
    <section className={styles.step} aria-current={step === current ? 'step' : undefined}>
      <h2 className={styles.stepTitle} tabIndex={-1} ref={headingRef}>
        <span className={styles.stepNumber} aria-hidden="true">
          {done ? '✓' : position + 1}
        </span>
        {label}
        {done ? <span className="visually-hidden"> (done)</span> : null}
      </h2>
      {children}
    </section>
  );
}
