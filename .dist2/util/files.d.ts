/**
 * Checks before long work that `path` can be written as writeFileAtomic will write it: a regular file (or
 * a new one) in a folder where a file can be made.
 */
export declare function checkWritable(path: string): void;
export declare function writeFileAtomic(path: string, data: string | Uint8Array): void;
