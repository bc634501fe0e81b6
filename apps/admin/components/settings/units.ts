/** Conversions between what staff type and what the API stores (exact, no floating point). */

/** "8.875" (percent, up to `decimals` places) → integer in units of 1/10^decimals percent, or null. */
function parseScaledPercent(text: string, decimals: number): number | null {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.').replace(/%$/, '');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  if (fraction.length > decimals) return null;
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || 0);
}

function formatScaled(value: number, decimals: number): string {
  const whole = Math.trunc(value / 10 ** decimals);
  const fraction = String(value % 10 ** decimals)
    .padStart(decimals, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** Tax rates are parts per million: "20" % → 200000, "8.875" % → 88750 (up to 4 decimals). */
export const percentToPpm = (text: string) => parseScaledPercent(text, 4);
export const ppmToPercent = (ppm: number) => formatScaled(ppm, 4);

/** Promotion percentages are basis points: "15" % → 1500, "12.5" % → 1250 (up to 2 decimals). */
export const percentToBasisPoints = (text: string) => parseScaledPercent(text, 2);
export const basisPointsToPercent = (bp: number) => formatScaled(bp, 2);

/** An ISO instant → the value of a datetime-local input, in the browser's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local input's value (browser time zone) → ISO instant; '' → null; nonsense → undefined. */
export function fromLocalInput(value: string): string | null | undefined {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region', fallback: 'none' });
  } catch {
    return null;
  }
})();

/** "DE" → "Germany" (or the code when the browser does not know it). */
export function countryName(code: string): string {
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The time zone times are entered in, for hints ("Europe/Berlin"). */
export const localTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
