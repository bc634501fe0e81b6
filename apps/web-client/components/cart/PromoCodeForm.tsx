'use client';

import { type FormEvent, useId, useRef, useState } from 'react';
import { formatMoney } from '@/lib/money';
import { applyPromotion, type CartView, removePromotion } from './cart-store';
import { cartErrorMessage, promotionReason } from './messages';
import styles from './PromoCodeForm.module.css';
import ui from './ui.module.css';

/** Enter a promotion code; shows what it takes off, or why it does not apply, in words. */
export function PromoCodeForm({ cart }: { cart: CartView }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [removed, setRemoved] = useState(false);
  const id = useId();
  const input = useRef<HTMLInputElement>(null);

  const apply = async (event: FormEvent) => {
    event.preventDefault();
    const value = code.trim();
    if (!value) {
      setError('Enter a code.');
      input.current?.focus();
      return;
    }
    setPending(true);
    setError(null);
    setRemoved(false);
    try {
      await applyPromotion(value);
      setCode('');
    } catch (caught) {
      setError(cartErrorMessage(caught));
      input.current?.focus();
    } finally {
      setPending(false);
    }
  };

  const remove = async () => {
    setPending(true);
    setError(null);
    try {
      await removePromotion();
      setRemoved(true);
    } catch (caught) {
      setError(cartErrorMessage(caught));
    } finally {
      setPending(false);
    }
  };

  const promotion = cart.promotion;
  const applied = promotion?.status === 'applied';
  return (
    <div className={styles.promo} aria-busy={pending}>
      <div className={styles.applied}>
        {/* Always in the page, so screen readers hear what applying or removing a code did. */}
        <p role="status" className={promotion ? (applied ? styles.ok : styles.refused) : styles.status}>
          {promotion ? (
            <>
              <span className={styles.code}>{promotion.code}</span>{' '}
              {applied
                ? `applied: −${formatMoney(promotion.amount, cart.currency)}`
                : `not applied. ${promotionReason(promotion.reason)}`}
            </>
          ) : removed ? (
            <span className="visually-hidden">Promotion code removed.</span>
          ) : null}
        </p>
        {promotion ? (
          <button type="button" className={ui.linkButton} onClick={() => void remove()} disabled={pending}>
            Remove<span className="visually-hidden"> code {promotion.code}</span>
          </button>
        ) : null}
      </div>
      {promotion ? (
        error ? (
          <p className={styles.error} role="alert">
            {error}
          </p>
        ) : null
      ) : (
        <form className={styles.form} onSubmit={apply} noValidate>
          <label htmlFor={`${id}-code`} className={styles.label}>
            Promotion code
          </label>
          <div className={styles.row}>
            <input
              ref={input}
              id={`${id}-code`}
              className={styles.input}
              name="promotionCode"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              maxLength={64}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            <button type="submit" className={ui.secondary} disabled={pending}>
              {pending ? 'Applying…' : 'Apply'}
            </button>
          </div>
          <p id={`${id}-error`} className={styles.error} role="alert">
            {error}
          </p>
        </form>
      )}
    </div>
  );
}
