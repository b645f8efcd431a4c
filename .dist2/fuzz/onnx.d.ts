import type { Chooser } from './mutate.js';
/** One to a few edits of the decoded model; undefined if the seed does not decode. */
export declare function mutateOnnxModel(c: Chooser, bytes: Uint8Array): Uint8Array | undefined;
