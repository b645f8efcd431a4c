/**
 * An error in the user's input (a model file, a schedule, a flag). The CLI prints it as one line
 * naming the file and, where known, the node; it is never shown with a stack trace.
 */
export class InputError extends Error {
    file;
    node;
    constructor(message, where = {}) {
        super(message);
        this.name = 'InputError';
        this.file = where.file;
        this.node = where.node;
    }
    /** The one-line form the CLI prints: `file: node 'x': message`. */
    describe() {
        const parts = [];
        if (this.file !== undefined)
            parts.push(this.file);
        if (this.node !== undefined)
            parts.push(`node '${this.node}'`);
        parts.push(this.message);
        return parts.join(': ');
    }
    /** The same error, placed in a file (kept if it already names one). */
    inFile(file) {
        if (this.file !== undefined)
            return this;
        return new InputError(this.message, { file, node: this.node });
    }
}
/** Throws an InputError about a node when the condition fails. */
export function check(condition, message, node) {
    if (!condition)
        throw new InputError(message, { node });
}
//# sourceMappingURL=errors.js.map