// Protobuf text format (Caffe's .prototxt) parsed into a generic tree, without a schema: the converter
// decides what each field means. Every node keeps its line and column for error messages.
import { InputError } from '../../ir/errors.js';
const identStart = /[A-Za-z_]/;
const identPart = /[A-Za-z0-9_]/;
const simpleEscapes = {
    n: '\n',
    t: '\t',
    r: '\r',
    a: '\x07',
    b: '\b',
    f: '\f',
    v: '\v',
    '\\': '\\',
    "'": "'",
    '"': '"',
    '?': '?',
};
class Lexer {
    src;
    file;
    pos = 0;
    line = 1;
    col = 1;
    constructor(src, file) {
        this.src = src;
        this.file = file;
    }
    fail(message, line, col) {
        throw new InputError(`line ${line}:${col}: ${message}`, { file: this.file });
    }
    peekChar(offset = 0) {
        return this.src[this.pos + offset] ?? '';
    }
    advance() {
        const c = this.src[this.pos++] ?? '';
        if (c === '\n') {
            this.line++;
            this.col = 1;
        }
        else
            this.col++;
        return c;
    }
    skipSpaceAndComments() {
        for (;;) {
            const c = this.peekChar();
            if (c === '#')
                while (this.pos < this.src.length && this.peekChar() !== '\n')
                    this.advance();
            else if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v')
                this.advance();
            else if (c === '\uFEFF' && this.pos === 0)
                this.advance();
            else
                return;
        }
    }
    next() {
        this.skipSpaceAndComments();
        const line = this.line;
        const col = this.col;
        const c = this.peekChar();
        if (c === '')
            return { kind: 'eof', text: '', line, col };
        if ('{}<>[]:,;'.includes(c)) {
            this.advance();
            return { kind: 'punct', text: c, line, col };
        }
        if (c === '"' || c === "'")
            return { kind: 'string', text: this.readString(), line, col };
        if (/[0-9.]/.test(c) || (c === '-' && /[0-9.A-Za-z]/.test(this.peekChar(1))))
            return { kind: 'number', text: this.readNumber(line, col), line, col };
        if (identStart.test(c)) {
            let text = '';
            while (identPart.test(this.peekChar()))
                text += this.advance();
            return { kind: 'identifier', text, line, col };
        }
        const code = c.codePointAt(0) ?? 0;
        if (c === '\uFFFD')
            this.fail('invalid UTF-8 (is this a binary file?)', line, col);
        if (code < 0x20 || code === 0x7f)
            this.fail(`unexpected byte 0x${code.toString(16).padStart(2, '0')} (is this a binary file?)`, line, col);
        return this.fail(`unexpected character '${c}'`, line, col);
    }
    readNumber(line, col) {
        let text = '';
        if (this.peekChar() === '-')
            text += this.advance();
        while (/[A-Za-z0-9_.]/.test(this.peekChar()) ||
            (/[eE]/.test(text.slice(-1)) && /[+-]/.test(this.peekChar())))
            text += this.advance();
        if (parseNumber(text) === undefined)
            this.fail(`malformed number '${text}'`, line, col);
        return text;
    }
    readString() {
        const line = this.line;
        const col = this.col;
        const quote = this.advance();
        let out = '';
        for (;;) {
            const c = this.peekChar();
            if (c === '' || c === '\n')
                this.fail('unterminated string', line, col);
            this.advance();
            if (c === quote)
                return out;
            if (c !== '\\') {
                out += c;
                continue;
            }
            const eLine = this.line;
            const eCol = this.col - 1;
            const e = this.advance();
            const simple = simpleEscapes[e];
            if (simple !== undefined)
                out += simple;
            else if (/[0-7]/.test(e)) {
                let digits = e;
                while (digits.length < 3 && /[0-7]/.test(this.peekChar()))
                    digits += this.advance();
                out += String.fromCharCode(Number.parseInt(digits, 8));
            }
            else if (e === 'x' || e === 'u' || e === 'U') {
                const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
                let digits = '';
                while (digits.length < max && /[0-9a-fA-F]/.test(this.peekChar()))
                    digits += this.advance();
                const code = Number.parseInt(digits, 16);
                if (digits.length === 0 || (e !== 'x' && digits.length !== max) || code > 0x10ffff)
                    this.fail(`bad escape '\\${e}${digits}'`, eLine, eCol);
                out += String.fromCodePoint(code);
            }
            else
                this.fail(`unknown escape '\\${e}'`, eLine, eCol);
        }
    }
}
/** The value of a number token as protobuf text format reads it, or undefined if malformed. */
function parseNumber(text) {
    const negative = text.startsWith('-');
    const body = negative ? text.slice(1) : text;
    const sign = negative ? -1 : 1;
    const lower = body.toLowerCase();
    if (lower === 'inf' || lower === 'infinity')
        return { value: sign * Number.POSITIVE_INFINITY, integer: false };
    if (lower === 'nan')
        return { value: Number.NaN, integer: false };
    if (/^0[xX][0-9a-fA-F]+$/.test(body))
        return { value: sign * Number.parseInt(body.slice(2), 16), integer: true };
    if (/^0[0-7]+$/.test(body))
        return { value: sign * Number.parseInt(body, 8), integer: true };
    if (/^(0|[1-9][0-9]*)$/.test(body))
        return { value: sign * Number(body), integer: true };
    const m = /^((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[fF]?$/.exec(body);
    if (m === null)
        return undefined;
    // "1f" is a float in text format; a bare "08" is neither octal nor decimal.
    if (/^0[0-9]/.test(body) && /^[0-9]+[fF]?$/.test(body))
        return undefined;
    return { value: sign * Number(m[1]), integer: false };
}
/** Deepest message nesting accepted, as protoc's default recursion limit; Caffe's own files nest 4 deep. */
export const MAX_NESTING = 100;
class Parser {
    lexer;
    tok;
    depth = 0;
    constructor(lexer) {
        this.lexer = lexer;
        this.tok = lexer.next();
    }
    take() {
        const t = this.tok;
        this.tok = this.lexer.next();
        return t;
    }
    isPunct(p) {
        return this.tok.kind === 'punct' && this.tok.text === p;
    }
    describe(t) {
        if (t.kind === 'eof')
            return 'end of file';
        if (t.kind === 'string')
            return 'a string';
        return `'${t.text}'`;
    }
    fail(message, t = this.tok) {
        return this.lexer.fail(message, t.line, t.col);
    }
    /** Fields up to `close` (or end of file at top level); `open` is the token that began the message. */
    parseBody(close, open, owner) {
        const msg = { kind: 'message', fields: [], line: open?.line ?? 1, col: open?.col ?? 1 };
        for (;;) {
            const t = this.tok;
            if (t.kind === 'eof') {
                if (close === undefined)
                    return msg;
                return this.fail(`'${owner}' opened at line ${open?.line}:${open?.col} is never closed with '${close}'`);
            }
            if (t.kind === 'punct' && t.text === close) {
                this.take();
                return msg;
            }
            if (t.kind !== 'identifier') {
                if (t.kind === 'punct' && (t.text === '}' || t.text === '>'))
                    this.fail(close === undefined ? `unexpected '${t.text}' with no open message` : `expected '${close}'`);
                if (t.kind === 'punct' && t.text === '[')
                    this.fail('extension fields are not supported');
                this.fail(`expected a field name, found ${this.describe(t)}`);
            }
            this.take();
            this.parseField(t, msg.fields);
            if (this.isPunct(',') || this.isPunct(';'))
                this.take();
        }
    }
    parseField(name, out) {
        const push = (value, at) => out.push({ name: name.text, value, line: at.line, col: at.col });
        let colon = false;
        if (this.isPunct(':')) {
            this.take();
            colon = true;
        }
        if (this.isPunct('{') || this.isPunct('<')) {
            push(this.parseMessage(name.text), name);
            return;
        }
        if (!colon)
            this.fail(`expected ':' or '{' after field '${name.text}', found ${this.describe(this.tok)}`);
        if (this.isPunct('[')) {
            this.take();
            if (this.isPunct(']')) {
                this.take();
                return;
            }
            for (;;) {
                const at = this.tok;
                push(this.isPunct('{') || this.isPunct('<') ? this.parseMessage(name.text) : this.parseScalar(), at);
                if (this.isPunct(']')) {
                    this.take();
                    return;
                }
                if (!this.isPunct(','))
                    this.fail(`expected ',' or ']' in the list of '${name.text}'`);
                this.take();
            }
        }
        push(this.parseScalar(), name);
    }
    parseMessage(owner) {
        if (this.depth === MAX_NESTING)
            this.fail(`messages are nested more than ${MAX_NESTING} deep`);
        const open = this.take();
        this.depth++;
        const msg = this.parseBody(open.text === '{' ? '}' : '>', open, owner);
        this.depth--;
        return msg;
    }
    parseScalar() {
        const t = this.tok;
        if (t.kind === 'string') {
            let value = '';
            // Adjacent string literals concatenate.
            while (this.tok.kind === 'string')
                value += this.take().text;
            return { kind: 'string', value };
        }
        if (t.kind === 'number') {
            this.take();
            return { kind: 'number', ...parseNumber(t.text) };
        }
        if (t.kind === 'identifier') {
            this.take();
            return { kind: 'identifier', value: t.text };
        }
        return this.fail(`expected a value, found ${this.describe(t)}`);
    }
}
/** Parses protobuf text format. Throws InputError with `line L:C` in the message on malformed input. */
export function parseTextFormat(text, file) {
    return new Parser(new Lexer(text, file)).parseBody(undefined, undefined, '');
}
/**
 * Typed access to the fields of one message, for a converter that knows the schema. Errors name the
 * context's file and node and the field's line and column.
 */
export class TextFields {
    message;
    context;
    constructor(message, context) {
        this.message = message;
        this.context = context;
    }
    fail(message, at) {
        const where = at ? `line ${at.line}:${at.col}: ` : '';
        throw new InputError(`${where}${message}`, { file: this.context.file, node: this.context.node });
    }
    all(name) {
        return this.message?.fields.filter((f) => f.name === name) ?? [];
    }
    has(name) {
        return this.all(name).length > 0;
    }
    /** The field's value when it is given at most once. */
    single(name) {
        const fields = this.all(name);
        if (fields.length > 1)
            this.fail(`'${name}' is given ${fields.length} times`, fields[1]);
        return fields[0];
    }
    scalar(f) {
        if (f.value.kind === 'message')
            this.fail(`'${f.name}' must be a value, not a message`, f);
        return f.value;
    }
    toNumber(f) {
        const v = this.scalar(f);
        if (v.kind === 'number')
            return v.value;
        if (v.kind === 'identifier') {
            const lower = v.value.toLowerCase();
            if (lower === 'inf' || lower === 'infinity')
                return Number.POSITIVE_INFINITY;
            if (lower === 'nan')
                return Number.NaN;
        }
        return this.fail(`'${f.name}' must be a number, got ${show(v)}`, f);
    }
    toInt(f) {
        const v = this.scalar(f);
        if (v.kind !== 'number' || !v.integer)
            this.fail(`'${f.name}' must be an integer, got ${show(v)}`, f);
        return v.value;
    }
    float(name, fallback) {
        const f = this.single(name);
        return f === undefined ? fallback : this.toNumber(f);
    }
    floats(name) {
        return this.all(name).map((f) => this.toNumber(f));
    }
    int(name, fallback) {
        const f = this.single(name);
        return f === undefined ? fallback : this.toInt(f);
    }
    ints(name) {
        return this.all(name).map((f) => this.toInt(f));
    }
    bool(name, fallback) {
        const f = this.single(name);
        if (f === undefined)
            return fallback;
        const v = this.scalar(f);
        if (v.kind === 'identifier' && /^(true|t|True)$/.test(v.value))
            return true;
        if (v.kind === 'identifier' && /^(false|f|False)$/.test(v.value))
            return false;
        if (v.kind === 'number' && v.integer && (v.value === 0 || v.value === 1))
            return v.value === 1;
        return this.fail(`'${name}' must be true or false, got ${show(v)}`, f);
    }
    string(name) {
        const f = this.single(name);
        if (f === undefined)
            return undefined;
        const v = this.scalar(f);
        if (v.kind !== 'string')
            this.fail(`'${name}' must be a quoted string, got ${show(v)}`, f);
        return v.value;
    }
    strings(name) {
        return this.all(name).map((f) => {
            const v = this.scalar(f);
            if (v.kind !== 'string')
                this.fail(`'${name}' must be a quoted string, got ${show(v)}`, f);
            return v.value;
        });
    }
    /** An enum given by name or by number; `names[i]` is the name of value i (undefined for gaps). */
    enumName(name, names, fallback) {
        const f = this.single(name);
        if (f === undefined)
            return fallback;
        return this.enumOf(f, names);
    }
    enumOf(f, names) {
        const v = this.scalar(f);
        const known = names.filter((n) => n !== undefined).join(', ');
        if (v.kind === 'identifier') {
            if (names.includes(v.value))
                return v.value;
            this.fail(`'${f.name}' must be one of ${known}, got ${v.value}`, f);
        }
        if (v.kind === 'number' && v.integer) {
            const n = names[v.value];
            if (n !== undefined)
                return n;
        }
        return this.fail(`'${f.name}' must be one of ${known}, got ${show(v)}`, f);
    }
    /** A sub-message given at most once (an empty one when absent). */
    sub(name) {
        const f = this.single(name);
        if (f === undefined)
            return new TextFields(undefined, this.context);
        if (f.value.kind !== 'message')
            this.fail(`'${name}' must be a message`, f);
        return new TextFields(f.value, this.context);
    }
    subs(name) {
        return this.all(name).map((f) => {
            if (f.value.kind !== 'message')
                this.fail(`'${name}' must be a message`, f);
            return new TextFields(f.value, this.context);
        });
    }
    /** The position of the first field with this name, or of the message itself. */
    at(name) {
        if (name !== undefined) {
            const f = this.all(name)[0];
            if (f !== undefined)
                return f;
        }
        return this.message;
    }
    withNode(node) {
        return new TextFields(this.message, { ...this.context, node });
    }
}
function show(v) {
    if (v.kind === 'string')
        return JSON.stringify(v.value);
    return String(v.value);
}
//# sourceMappingURL=prototxt.js.map