/**
 * A value of a file as JSON text for an error message: short, one line, and safe for any nesting (the
 * file may nest arrays a million deep, which JSON.stringify cannot print).
 */
export declare function valueText(v: unknown, limit?: number): string;
/** JSON.parse's message, on one line: it quotes the file's text, which may hold line breaks and control characters. */
export declare function jsonErrorText(e: unknown): string;
/** Control characters (line breaks included) escaped as in JSON, so that a message stays one line. */
export declare function oneLine(text: string): string;
