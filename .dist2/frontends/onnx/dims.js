// Dimension lists: their product, comparison, and how errors print them.
export function product(dims) {
    return dims.reduce((a, b) => a * b, 1);
}
export function dimsText(dims) {
    return `[${dims.join(', ')}]`;
}
export function sameList(a, b) {
    return a.length === b.length && a.every((v, i) => v === b[i]);
}
/** A dimension of a declared shape: its size, its symbolic name, or ? when it has neither. */
export function dimText(d) {
    return d.dim_value ?? d.dim_param ?? '?';
}
//# sourceMappingURL=dims.js.map