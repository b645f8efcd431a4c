// Units for people: byte sizes in binary prefixes.
// the page of the HTML report prints sizes with it too
export { bytesText } from './page/format.js';
/** Parses "256KiB", "1.5 MiB", "4MB" (decimal), "65536" (bytes). Returns undefined when malformed. */
export function parseBytes(text) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(text);
    if (!m)
        return undefined;
    const unit = (m[2] ?? '').toLowerCase();
    const binary = unit.includes('i');
    const prefix = unit.replace(/i?b?$/, '');
    const power = ['', 'k', 'm', 'g', 't'].indexOf(prefix);
    if (power < 0)
        return undefined;
    const value = Number(m[1]) * (binary ? 1024 : 1000) ** power;
    return Number.isFinite(value) ? Math.round(value) : undefined;
}
//# sourceMappingURL=units.js.map