// Dimension lists: their product, comparison, and how errors print them.

import type { Dimension } from './schema.js';

export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function dimsText(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

export function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A dimension of a declared shape: its size, its symbolic name, or ? when it has neither. */
export function dimText(d: Dimension): number | string {
  return d.dim_value ?? d.dim_param ?? '?';
}
