import type { Dimension } from './schema.js';
export declare function product(dims: readonly number[]): number;
export declare function dimsText(dims: readonly (number | string)[]): string;
export declare function sameList(a: readonly number[], b: readonly number[]): boolean;
/** A dimension of a declared shape: its size, its symbolic name, or ? when it has neither. */
export declare function dimText(d: Dimension): number | string;
