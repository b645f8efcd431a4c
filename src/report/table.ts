// Plain-text tables for the terminal.

export type Align = 'left' | 'right';

/** Renders rows under a header, columns padded to their widest cell, a rule under the header. */
export function renderTable(header: string[], rows: string[][], align: Align[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** An integer with thousands separators: 1814073344 -> 1,814,073,344. */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A count in engineering units, for compact summaries: 1.81G, 349.2M, 12.5k. */
export function compact(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${(n / v).toFixed(n / v >= 100 ? 1 : 2)}${u}`;
  return String(n);
}
