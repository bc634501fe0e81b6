/** Tables for the model bench: plain text for the console, markdown for the README. */

export type Align = 'left' | 'right';

/** Plain-text table; each column aligned as told (names left, numbers right). */
export function printAlignedTable(headers: string[], align: Align[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** GitHub-flavoured markdown table with the same alignment. */
export function markdownTable(headers: string[], align: Align[], rows: string[][]): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|');
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = headers.map((_, i) => (align[i] === 'right' ? '---:' : ':---'));
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}
