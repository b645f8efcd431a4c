export { bytesText } from './page/format.js';
/** Parses "256KiB", "1.5 MiB", "4MB" (decimal), "65536" (bytes). Returns undefined when malformed. */
export declare function parseBytes(text: string): number | undefined;
