// Plain-text tables for the terminal.
// the page of the HTML report prints numbers with these too
export { compact, grouped } from './page/format.js';
/** Renders rows under a header, columns padded to their widest cell, a rule under the header. */
export function renderTable(header, rows, align) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells) => cells
        .map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd();
    return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
//# sourceMappingURL=table.js.map