// The JSON of memsched's files as error messages show it: one line, whatever the file holds.
/**
 * A value of a file as JSON text for an error message: short, one line, and safe for any nesting (the
 * file may nest arrays a million deep, which JSON.stringify cannot print).
 */
export function valueText(v, limit = 200) {
    let out = '';
    const put = (s) => {
        out += s;
        return out.length <= limit;
    };
    const walk = (x, depth) => {
        if (typeof x !== 'object' || x === null)
            return put(String(JSON.stringify(x)));
        if (depth > 20)
            return put('...');
        const array = Array.isArray(x);
        if (!put(array ? '[' : '{'))
            return false;
        const entries = array ? x.map((e, i) => [i, e]) : Object.entries(x);
        for (const [i, [k, e]] of entries.entries()) {
            if (i > 0 && !put(','))
                return false;
            if (!array && !put(`${JSON.stringify(k)}:`))
                return false;
            if (!walk(e, depth + 1))
                return false;
        }
        return put(array ? ']' : '}');
    };
    return walk(v, 0) ? out : `${out.slice(0, limit)}...`;
}
/** JSON.parse's message, on one line: it quotes the file's text, which may hold line breaks and control characters. */
export function jsonErrorText(e) {
    return oneLine(e.message);
}
/** Control characters (line breaks included) escaped as in JSON, so that a message stays one line. */
export function oneLine(text) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters escaped
    return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => c === '\n'
        ? '\\n'
        : c === '\r'
            ? '\\r'
            : c === '\t'
                ? '\\t'
                : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
//# sourceMappingURL=json.js.map