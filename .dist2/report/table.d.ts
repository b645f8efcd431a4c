export { compact, grouped } from './page/format.js';
export type Align = 'left' | 'right';
/** Renders rows under a header, columns padded to their widest cell, a rule under the header. */
export declare function renderTable(header: string[], rows: string[][], align: Align[]): string;
