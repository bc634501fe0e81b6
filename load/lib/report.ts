/** Plain-text tables and number formats for the bench's console output. */

export const formatInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const formatMs = (n: number) => n.toFixed(2);
export const formatRatio = (n: number) => `${n.toFixed(2)}x`;
export const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** First column left-aligned (names), the others right-aligned (numbers). */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export function heading(title: string): void {
  console.log(`\n== ${title} ==`);
}
