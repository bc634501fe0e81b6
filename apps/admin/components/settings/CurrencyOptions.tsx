import { useMemo } from 'react';
import { currencyLabel, knownCurrencies } from './currencies';

/**
 * The <option>s of a currency picker: every code the browser knows, plus `current` when the
 * browser does not know it (so a saved value still shows instead of silently changing).
 */
export function CurrencyOptions({ current }: { current: string }) {
  const currencies = useMemo(knownCurrencies, []);
  return (
    <>
      {current && !currencies.includes(current) && <option value={current}>{current}</option>}
      {currencies.map((code) => (
        <option key={code} value={code}>
          {currencyLabel(code)}
        </option>
      ))}
    </>
  );
}
