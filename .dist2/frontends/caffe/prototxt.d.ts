export interface TextString {
    kind: 'string';
    value: string;
}
export interface TextNumber {
    kind: 'number';
    value: number;
    /** Written without a fraction, exponent or float suffix. */
    integer: boolean;
}
/** An enum name, `true`/`false`, or `inf`/`nan` written without a sign. */
export interface TextIdentifier {
    kind: 'identifier';
    value: string;
}
export interface TextMessage {
    kind: 'message';
    fields: TextField[];
    line: number;
    col: number;
}
export type TextScalar = TextString | TextNumber | TextIdentifier;
export type TextValue = TextScalar | TextMessage;
export interface TextField {
    name: string;
    value: TextValue;
    line: number;
    col: number;
}
/** Deepest message nesting accepted, as protoc's default recursion limit; Caffe's own files nest 4 deep. */
export declare const MAX_NESTING = 100;
/** Parses protobuf text format. Throws InputError with `line L:C` in the message on malformed input. */
export declare function parseTextFormat(text: string, file?: string): TextMessage;
/** Where an error found while reading the tree is reported. */
export interface TextContext {
    file?: string | undefined;
    node?: string | undefined;
}
/**
 * Typed access to the fields of one message, for a converter that knows the schema. Errors name the
 * context's file and node and the field's line and column.
 */
export declare class TextFields {
    readonly message: TextMessage | undefined;
    readonly context: TextContext;
    constructor(message: TextMessage | undefined, context: TextContext);
    fail(message: string, at?: {
        line: number;
        col: number;
    }): never;
    all(name: string): TextField[];
    has(name: string): boolean;
    /** The field's value when it is given at most once. */
    private single;
    private scalar;
    private toNumber;
    private toInt;
    float(name: string, fallback: number): number;
    floats(name: string): number[];
    int(name: string, fallback: number): number;
    int(name: string, fallback?: number): number | undefined;
    ints(name: string): number[];
    bool(name: string, fallback: boolean): boolean;
    string(name: string): string | undefined;
    strings(name: string): string[];
    /** An enum given by name or by number; `names[i]` is the name of value i (undefined for gaps). */
    enumName(name: string, names: readonly (string | undefined)[], fallback: string): string;
    enumOf(f: TextField, names: readonly (string | undefined)[]): string;
    /** A sub-message given at most once (an empty one when absent). */
    sub(name: string): TextFields;
    subs(name: string): TextFields[];
    /** The position of the first field with this name, or of the message itself. */
    at(name?: string): {
        line: number;
        col: number;
    } | undefined;
    withNode(node: string | undefined): TextFields;
}
