'use client';

import type { Ref } from 'react';
import { TextField } from './Field';
import styles from './TestCardField.module.css';
import type { PaymentsConfig } from './types';

/** 4242424242424242 → "4242 4242 4242 4242" (as typed, up to 19 digits). */
export function formatCardNumber(value: string): string {
  return value
    .replace(/\D/g, '')
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The test provider's card field, with its test cards as one-click hints. */
export function TestCardField({
  value,
  onChange,
  error,
  cards,
  disabled,
  inputRef,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  cards: PaymentsConfig['testCards'];
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <div className={styles.wrap}>
      <TextField
        ref={inputRef}
        id="checkout-card-number"
        label="Card number"
        name="cardnumber"
        autoComplete="cc-number"
        inputMode="numeric"
        placeholder="1234 1234 1234 1234"
        value={value}
        onChange={(event) => onChange(formatCardNumber(event.target.value))}
        error={error}
        disabled={disabled}
        hint="Test mode: no real card is charged. Any expiry date and security code would do."
      />
      {cards.length > 0 ? (
        <div className={styles.cards}>
          <p id="test-cards-label" className={styles.cardsLabel}>
            Test cards
          </p>
          <ul aria-labelledby="test-cards-label">
            {cards.map((card) => (
              <li key={card.number}>
                <button
                  type="button"
                  className={styles.card}
                  onClick={() => onChange(card.number)}
                  disabled={disabled}
                >
                  <code>{card.number}</code>
                  <span>{card.outcome}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
