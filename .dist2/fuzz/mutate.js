// Seeded mutations of parser inputs: raw bytes, protobuf wire format, JSON values, prototxt tokens, PNG
// chunks. Every mutation draws only from the generator it is given, so a case is re-created from its seed.
import { randomInt, rng } from '../util/random.js';
export class Chooser {
    next;
    constructor(seed) {
        this.next = rng(seed);
    }
    int(lo, hi) {
        return randomInt(this.next, lo, hi);
    }
    chance(p) {
        return this.next() < p;
    }
    pick(list) {
        if (list.length === 0)
            throw new Error('pick from an empty list');
        return list[this.int(0, list.length - 1)];
    }
    /** 1 most often, sometimes a few: most inputs stay close enough to valid to reach deep code. */
    count(max) {
        let n = 1;
        while (n < max && this.chance(0.35))
            n++;
        return n;
    }
}
/** FNV-1a: a case's generator seed from its name. */
export function hashSeed(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}
const interestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x22, 0x7b, 0x7d];
const interesting32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xffff, 0x10000, 0x40000000];
function concat(parts) {
    const total = parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
        out.set(p, at);
        at += p.length;
    }
    return out;
}
/** One blind edit: bit flip, byte set, truncation, insertion, deletion, duplication or a splice of `other`. */
export function mutateBytesOnce(c, data, other) {
    const n = data.length;
    if (n === 0)
        return c.chance(0.5) ? data : Uint8Array.of(c.int(0, 255));
    const at = c.int(0, n - 1);
    const span = Math.min(n - at, c.chance(0.7) ? c.int(1, 8) : c.int(1, Math.max(1, n >> 2)));
    const out = data.slice();
    switch (c.int(0, 8)) {
        case 0:
            out[at] = out[at] ^ (1 << c.int(0, 7));
            return out;
        case 1:
            out[at] = c.chance(0.5) ? c.pick(interestingBytes) : c.int(0, 255);
            return out;
        case 2: {
            const v = c.pick(interesting32);
            const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
            if (at + 4 <= n)
                view.setUint32(at, v, c.chance(0.5));
            return out;
        }
        case 3:
            return data.slice(0, at);
        case 4: {
            const ins = Uint8Array.from({ length: c.int(1, 16) }, () => c.int(0, 255));
            return concat([data.subarray(0, at), ins, data.subarray(at)]);
        }
        case 5:
            return concat([data.subarray(0, at), data.subarray(at + span)]);
        case 6:
            return concat([data.subarray(0, at + span), data.subarray(at, at + span), data.subarray(at + span)]);
        case 7: {
            const src = other && other.length > 0 ? other : data;
            const from = c.int(0, src.length - 1);
            const piece = src.subarray(from, from + c.int(1, 256));
            return concat([data.subarray(0, at), piece, data.subarray(at + (c.chance(0.5) ? span : 0))]);
        }
        default:
            for (let i = 0; i < span; i++)
                out[at + i] = c.int(0, 255);
            return out;
    }
}
export function mutateBytes(c, data, other) {
    let out = data;
    for (let k = c.count(6); k > 0; k--)
        out = mutateBytesOnce(c, out, other);
    return out;
}
function readVarint(b, pos) {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
        if (pos >= b.length)
            return undefined;
        const byte = b[pos++];
        v |= BigInt(byte & 0x7f) << shift;
        if ((byte & 0x80) === 0)
            return [v, pos];
    }
    return undefined;
}
function writeVarint(v) {
    let x = BigInt.asUintN(64, v);
    const out = [];
    do {
        let byte = Number(x & 0x7fn);
        x >>= 7n;
        if (x !== 0n)
            byte |= 0x80;
        out.push(byte);
    } while (x !== 0n);
    return Uint8Array.from(out);
}
function parseWire(b, depth) {
    const fields = [];
    let pos = 0;
    while (pos < b.length) {
        const key = readVarint(b, pos);
        if (!key)
            return undefined;
        pos = key[1];
        const num = Number(key[0] >> 3n);
        const wire = Number(key[0] & 7n);
        if (num === 0)
            return undefined;
        if (wire === 0) {
            const v = readVarint(b, pos);
            if (!v)
                return undefined;
            fields.push({ num, wire: 0, value: v[0] });
            pos = v[1];
        }
        else if (wire === 1 || wire === 5) {
            const size = wire === 1 ? 8 : 4;
            if (pos + size > b.length)
                return undefined;
            fields.push({ num, wire, raw: b.subarray(pos, pos + size) });
            pos += size;
        }
        else if (wire === 2) {
            const len = readVarint(b, pos);
            if (!len || len[1] + Number(len[0]) > b.length)
                return undefined;
            const raw = b.subarray(len[1], len[1] + Number(len[0]));
            pos = len[1] + Number(len[0]);
            const message = depth < 12 && raw.length > 0 ? parseWire(raw, depth + 1) : undefined;
            fields.push(message ? { num, wire: 2, raw, message } : { num, wire: 2, raw });
        }
        else
            return undefined;
    }
    return fields;
}
function encodeWire(fields) {
    const parts = [];
    for (const f of fields) {
        parts.push(writeVarint(BigInt((f.num << 3) | f.wire)));
        if (f.wire === 0)
            parts.push(writeVarint(f.value));
        else if (f.wire === 2) {
            const body = f.message ? encodeWire(f.message) : f.raw;
            parts.push(writeVarint(BigInt(body.length)), body);
        }
        else
            parts.push(f.raw);
    }
    return concat(parts);
}
function allFieldLists(fields, out = []) {
    out.push(fields);
    for (const f of fields)
        if (f.wire === 2 && f.message)
            allFieldLists(f.message, out);
    return out;
}
const interestingVarints = [
    0n,
    1n,
    2n,
    3n,
    7n,
    255n,
    65535n,
    2n ** 31n - 1n,
    2n ** 31n,
    2n ** 32n,
    2n ** 53n,
    2n ** 63n - 1n,
    -1n,
    -2n,
    -(2n ** 31n),
];
/** One structural edit of a protobuf message: a field's value, a duplicated, dropped or moved field. */
export function mutateProtobuf(c, data) {
    const root = parseWire(data, 0);
    if (!root || root.length === 0)
        return undefined;
    const lists = allFieldLists(root);
    for (let k = c.count(4); k > 0; k--) {
        const list = c.pick(lists);
        if (list.length === 0)
            continue;
        const i = c.int(0, list.length - 1);
        const f = list[i];
        switch (c.int(0, 6)) {
            case 0:
                list.splice(i, 1);
                break;
            case 1:
                list.splice(c.int(0, list.length), 0, f);
                break;
            case 2: {
                const j = c.int(0, list.length - 1);
                list[i] = list[j];
                list[j] = f;
                break;
            }
            default:
                if (f.wire === 0)
                    list[i] = {
                        ...f,
                        value: c.chance(0.7) ? c.pick(interestingVarints) : f.value + BigInt(c.int(-3, 3)),
                    };
                else if (f.wire === 2 && !f.message)
                    list[i] = { num: f.num, wire: 2, raw: mutateBytes(c, f.raw) };
                else if (f.wire === 2)
                    list[i] = c.chance(0.3) ? { num: f.num, wire: 2, raw: new Uint8Array(0) } : f;
                else
                    list[i] = { ...f, raw: mutateBytesOnce(c, f.raw).slice(0, f.raw.length) };
        }
    }
    return encodeWire(root);
}
function slots(v, out = [], depth = 0) {
    if (depth > 40)
        return out;
    if (Array.isArray(v)) {
        v.forEach((_, i) => {
            out.push({ get: () => v[i], set: (x) => (v[i] = x), remove: () => v.splice(i, 1), key: String(i) });
            slots(v[i], out, depth + 1);
        });
    }
    else if (v !== null && typeof v === 'object') {
        for (const k of Object.keys(v)) {
            out.push({ get: () => v[k], set: (x) => (v[k] = x), remove: () => delete v[k], key: k });
            slots(v[k], out, depth + 1);
        }
    }
    return out;
}
const specialNumbers = [
    0,
    -1,
    1,
    2,
    -0.5,
    0.5,
    1.5,
    255,
    65536,
    2 ** 31,
    2 ** 32,
    2 ** 53 + 2,
    1e12,
    1e308,
    -1e308,
    5e-324,
];
function otherValue(c, old, doc) {
    switch (c.int(0, 9)) {
        case 0:
            return null;
        case 1:
            return c.chance(0.5);
        case 2:
        case 3:
            return typeof old === 'number'
                ? c.pick([...specialNumbers, old * 2, old + 1, -old])
                : c.pick(specialNumbers);
        case 4:
            return c.pick([
                '',
                'x',
                'root',
                'zo',
                'zi',
                'x',
                'y',
                '0',
                '-1',
                'NaN',
                'conv1',
                '\u00e9\u0000',
                'a\nb',
            ]);
        case 5:
            return [];
        case 6:
            return {};
        case 7:
            return 'z'.repeat(c.int(1000, 100_000));
        default: {
            // a value from elsewhere in the same document: right type, wrong place
            const all = slots(doc);
            return all.length > 0 ? structuredClone(c.pick(all).get()) : null;
        }
    }
}
const deepMarker = '\u0000deep\u0000';
export function mutateJsonValue(c, doc) {
    for (let k = c.count(4); k > 0; k--) {
        const all = slots(doc);
        if (all.length === 0)
            return otherValue(c, doc, doc);
        const s = c.pick(all);
        const v = s.get();
        switch (c.int(0, 9)) {
            case 0:
            case 1:
                s.remove();
                break;
            case 2:
                if (Array.isArray(v) && v.length > 0) {
                    if (c.chance(0.5))
                        v.push(structuredClone(c.pick(v)));
                    else
                        v.splice(c.int(0, v.length - 1), c.chance(0.5) ? 1 : v.length);
                }
                else if (v !== null && typeof v === 'object')
                    v[c.pick(['extra', 'format', 'version', 'x', '__proto__'])] = otherValue(c, null, doc);
                else
                    s.set(otherValue(c, v, doc));
                break;
            case 3:
                // nested by text after stringify: JSON.stringify itself would overflow the stack
                s.set(deepMarker);
                break;
            default:
                s.set(otherValue(c, v, doc));
        }
    }
    return doc;
}
/** A JSON text mutated by value (mostly) or as raw text (sometimes: truncation, stray bytes, NaN). */
export function mutateJsonText(c, text) {
    if (c.chance(0.8)) {
        const doc = mutateJsonValue(c, JSON.parse(text));
        let out = JSON.stringify(doc, null, c.chance(0.5) ? 1 : undefined) ?? 'null';
        const depth = c.int(1000, 50_000);
        out = out.replaceAll(JSON.stringify(deepMarker), `${'['.repeat(depth)}0${']'.repeat(depth)}`);
        if (c.chance(0.05))
            out = out.replace(/-?\d+(\.\d+)?/, c.pick(['NaN', 'Infinity', '1e999', '-0', '0x10']));
        return new TextEncoder().encode(out);
    }
    return mutateBytes(c, new TextEncoder().encode(text));
}
// ---------------------------------------------------------------------------------------------------
// Prototxt: token edits that keep most of the file well-formed.
const tokenPattern = /#[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[A-Za-z_][\w.]*|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|\s+|./g;
const prototxtNumbers = [
    '0',
    '-1',
    '1',
    '2',
    '3',
    '65536',
    '2147483648',
    '4294967297',
    '1e10',
    '1e400',
    '-0',
    '1.5',
    'nan',
    'inf',
    '-inf',
    '0x10',
    '9999999999999999999999',
];
const layerTypes = [
    'Convolution',
    'Pooling',
    'ReLU',
    'InnerProduct',
    'Eltwise',
    'Concat',
    'BatchNorm',
    'Scale',
    'Deconvolution',
    'Softmax',
    'Dropout',
    'LRN',
    'Split',
    'Flatten',
    'Reshape',
    'Input',
    'Foo',
    '',
];
export function mutatePrototxt(c, text) {
    const tokens = [...(text.match(tokenPattern) ?? [])];
    const words = tokens.filter((t) => /^[A-Za-z_]/.test(t));
    const strings = tokens.filter((t) => t.startsWith('"'));
    const meaningful = () => {
        for (let tries = 0; tries < 20; tries++) {
            const i = c.int(0, Math.max(0, tokens.length - 1));
            if (!/^\s+$/.test(tokens[i] ?? ' '))
                return i;
        }
        return c.int(0, Math.max(0, tokens.length - 1));
    };
    for (let k = c.count(5); k > 0 && tokens.length > 0; k--) {
        const i = meaningful();
        const t = tokens[i];
        switch (c.int(0, 9)) {
            case 0:
                tokens.splice(i, 1);
                break;
            case 1:
                tokens.splice(i, 0, t, ' ');
                break;
            case 2:
                tokens.splice(i); // truncated
                break;
            case 3: {
                // a whole block dropped or repeated
                const open = tokens.indexOf('{', i);
                if (open < 0)
                    break;
                let depth = 0;
                let end = open;
                for (; end < tokens.length; end++) {
                    if (tokens[end] === '{')
                        depth++;
                    if (tokens[end] === '}' && --depth === 0)
                        break;
                }
                let start = open - 1;
                while (start > 0 && /^\s+$/.test(tokens[start]))
                    start--;
                const block = tokens.slice(start, end + 1);
                if (c.chance(0.5))
                    tokens.splice(start, end + 1 - start);
                else
                    tokens.splice(end + 1, 0, '\n', ...block);
                break;
            }
            case 4:
                tokens[i] = c.pick(['{', '}', ':', '"', '#', '\u0000', '[', ']', '<', ';']);
                break;
            default:
                if (/^[-+]?[\d.]/.test(t))
                    tokens[i] = c.pick(prototxtNumbers);
                else if (t.startsWith('"'))
                    tokens[i] = c.chance(0.5) && strings.length > 0 ? c.pick(strings) : `"${c.pick(layerTypes)}"`;
                else if (/^[A-Za-z_]/.test(t))
                    tokens[i] = c.chance(0.7) ? c.pick(words) : c.pick(prototxtNumbers);
                else
                    tokens[i] = c.pick(prototxtNumbers);
        }
    }
    return new TextEncoder().encode(tokens.join(''));
}
// ---------------------------------------------------------------------------------------------------
// PNG: chunks edited and their CRCs recomputed, so the decoder itself (not only its checksum test) is reached.
const crcTable = Array.from({ length: 256 }, (_, n) => {
    let x = n;
    for (let k = 0; k < 8; k++)
        x = x & 1 ? 0xedb88320 ^ (x >>> 1) : x >>> 1;
    return x >>> 0;
});
function crc32(bytes) {
    let x = 0xffffffff;
    for (const b of bytes)
        x = crcTable[(x ^ b) & 0xff] ^ (x >>> 8);
    return (x ^ 0xffffffff) >>> 0;
}
export function mutatePng(c, png) {
    const chunks = [];
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    for (let pos = 8; pos + 12 <= png.length;) {
        const len = view.getUint32(pos);
        chunks.push({ type: png.subarray(pos + 4, pos + 8), data: png.subarray(pos + 8, pos + 8 + len) });
        pos += 12 + len;
    }
    for (let k = c.count(3); k > 0 && chunks.length > 0; k--) {
        const i = c.int(0, chunks.length - 1);
        const ch = chunks[i];
        const op = c.int(0, 5);
        if (op === 0)
            chunks.splice(i, 1);
        else if (op === 1)
            chunks.splice(c.int(0, chunks.length), 0, ch);
        else if (op === 2 && new TextDecoder().decode(ch.type) === 'IHDR' && ch.data.length === 13) {
            const d = ch.data.slice();
            const dv = new DataView(d.buffer);
            const field = c.int(0, 6);
            if (field < 2)
                dv.setUint32(field * 4, c.pick([0, 1, 2, 20, 21, 65535, 0x7fffffff, 0xffffffff]));
            else
                d[6 + field] = c.pick([0, 1, 2, 3, 4, 6, 7, 8, 16, 255]); // bit depth, colour type, compression, filter, interlace
            chunks[i] = { type: ch.type, data: d };
        }
        else
            chunks[i] = { type: ch.type, data: mutateBytes(c, ch.data) };
    }
    const parts = [png.subarray(0, 8)];
    for (const ch of chunks) {
        const head = new Uint8Array(8);
        new DataView(head.buffer).setUint32(0, ch.data.length);
        head.set(ch.type, 4);
        const crc = new Uint8Array(4);
        new DataView(crc.buffer).setUint32(0, c.chance(0.95) ? crc32(concat([ch.type, ch.data])) : c.int(0, 0xffffffff));
        parts.push(head, ch.data, crc);
    }
    return concat(parts);
}
/** Raw float32: a wrong length, or values that are not finite. */
export function mutateRawFloats(c, raw) {
    if (c.chance(0.4))
        return mutateBytes(c, raw);
    const out = raw.slice();
    const view = new DataView(out.buffer);
    for (let k = c.count(8); k > 0; k--) {
        const at = c.int(0, out.length / 4 - 1) * 4;
        view.setFloat32(at, c.pick([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e30, 3e38, -0, 1e-45]), true);
    }
    return out;
}
//# sourceMappingURL=mutate.js.map