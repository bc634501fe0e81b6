'use client';

import type { ProductDetail } from '@e3d/contracts';
import { useId } from 'react';
import styles from './ProductView.module.css';
import { pickVariant, type Variant, valueState } from './variants';

interface VariantPickerProps {
  options: ProductDetail['options'];
  variants: Variant[];
  current: Variant;
  onSelect: (variantId: string) => void;
}

/** One radio group per option; values that are sold out (or not made) with the other choices are marked. */
export function VariantPicker({ options, variants, current, onSelect }: VariantPickerProps) {
  const id = useId();
  return (
    <div className={styles.options}>
      {options.map((option, index) => (
        <fieldset key={option.name} className={styles.option}>
          <legend className={styles.legend}>
            {option.name}: <span className={styles.legendValue}>{current.options[option.name]}</span>
          </legend>
          <div className={styles.values}>
            {option.values.map((value) => {
              const state = valueState(variants, current, option.name, value);
              const inputId = `${id}-${index}-${value}`;
              return (
                <span key={value} className={styles.value} data-state={state}>
                  <input
                    type="radio"
                    id={inputId}
                    name={`${id}-option-${index}`}
                    value={value}
                    checked={current.options[option.name] === value}
                    onChange={() => onSelect(pickVariant(variants, current, option.name, value).id)}
                  />
                  <label htmlFor={inputId}>
                    {value}
                    {state === 'soldout' && <span className="visually-hidden"> (sold out)</span>}
                    {state === 'unavailable' && (
                      <span className="visually-hidden"> (not available with this choice)</span>
                    )}
                  </label>
                </span>
              );
            })}
          </div>
        </fieldset>
      ))}
    </div>
  );
}
