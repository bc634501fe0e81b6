/** ISO 4217 codes the browser knows, for currency pickers (the API checks the code again). */
export function knownCurrencies(): string[] {
  try {
    return Intl.supportedValuesOf('currency');
  } catch {
    return ['AUD', 'CAD', 'CHF', 'CZK', 'DKK', 'EUR', 'GBP', 'JPY', 'NOK', 'NZD', 'PLN', 'SEK', 'USD'];
  }
}

export function currencyLabel(code: string): string {
  try {
    const name = new Intl.DisplayNames(undefined, { type: 'currency' }).of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}
