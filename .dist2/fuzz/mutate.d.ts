export declare class Chooser {
    readonly next: () => number;
    constructor(seed: number);
    int(lo: number, hi: number): number;
    chance(p: number): boolean;
    pick<T>(list: readonly T[]): T;
    /** 1 most often, sometimes a few: most inputs stay close enough to valid to reach deep code. */
    count(max: number): number;
}
/** FNV-1a: a case's generator seed from its name. */
export declare function hashSeed(text: string): number;
/** One blind edit: bit flip, byte set, truncation, insertion, deletion, duplication or a splice of `other`. */
export declare function mutateBytesOnce(c: Chooser, data: Uint8Array, other?: Uint8Array): Uint8Array;
export declare function mutateBytes(c: Chooser, data: Uint8Array, other?: Uint8Array): Uint8Array;
/** One structural edit of a protobuf message: a field's value, a duplicated, dropped or moved field. */
export declare function mutateProtobuf(c: Chooser, data: Uint8Array): Uint8Array | undefined;
type Json = null | boolean | number | string | Json[] | {
    [key: string]: Json;
};
export declare function mutateJsonValue(c: Chooser, doc: Json): Json;
/** A JSON text mutated by value (mostly) or as raw text (sometimes: truncation, stray bytes, NaN). */
export declare function mutateJsonText(c: Chooser, text: string): Uint8Array;
export declare function mutatePrototxt(c: Chooser, text: string): Uint8Array;
export declare function mutatePng(c: Chooser, png: Uint8Array): Uint8Array;
/** Raw float32: a wrong length, or values that are not finite. */
export declare function mutateRawFloats(c: Chooser, raw: Uint8Array): Uint8Array;
export {};
