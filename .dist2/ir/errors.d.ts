/**
 * An error in the user's input (a model file, a schedule, a flag). The CLI prints it as one line
 * naming the file and, where known, the node; it is never shown with a stack trace.
 */
export declare class InputError extends Error {
    readonly file: string | undefined;
    readonly node: string | undefined;
    constructor(message: string, where?: {
        file?: string | undefined;
        node?: string | undefined;
    });
    /** The one-line form the CLI prints: `file: node 'x': message`. */
    describe(): string;
    /** The same error, placed in a file (kept if it already names one). */
    inFile(file: string): InputError;
}
/** Throws an InputError about a node when the condition fails. */
export declare function check(condition: unknown, message: string, node?: string): asserts condition;
