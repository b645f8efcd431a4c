// Decoding: the model's protobuf (with one-line errors for empty, truncated or foreign files) and the
// data of its tensors (raw bytes or typed fields, float16 and bfloat16, files beside the model).
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import protobuf from 'protobufjs';
import { InputError } from '../../ir/errors.js';
import { dimsText, product } from './dims.js';
import { DataLocation, DataType, decodeModel } from './schema.js';
/** The model in `bytes`, with an IR version and a graph. */
export function readModel(bytes) {
    if (bytes.length === 0)
        throw new InputError('not an ONNX model: the file is empty');
    let model;
    try {
        model = decodeModel(bytes);
    }
    catch (e) {
        const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
        if (nestedTooDeeply(e))
            throw new InputError(`messages (subgraphs, attributes or groups) are nested more than ${protobuf.util.recursionLimit} deep`);
        // protobufjs reports a field that runs past the end of the buffer as "index out of range".
        if (/index out of range/i.test(message))
            throw new InputError(`truncated or corrupt ONNX file: a field runs past the end of the ${bytes.length} bytes`);
        throw new InputError(`not an ONNX model: the protobuf does not decode (${message})`);
    }
    const ir = model.ir_version;
    if (ir === undefined || !Number.isInteger(ir) || ir < 1 || ir > 100)
        throw new InputError('not an ONNX model: it has no valid IR version');
    if (model.graph === undefined)
        throw new InputError('not an ONNX model: it has no graph');
    return model;
}
/** protobufjs stops at its recursion limit; a stack overflow is the same failure reached another way. */
function nestedTooDeeply(e) {
    if (!(e instanceof Error))
        return false;
    return /max depth exceeded/.test(e.message) || (e instanceof RangeError && /call stack/.test(e.message));
}
/** Why a file could not be read, in words (the first line of anything unexpected). */
export function ioReason(e) {
    const err = e;
    if (err?.code === 'ENOENT')
        return 'no such file';
    if (err?.code === 'EISDIR')
        return 'it is a directory';
    if (err?.code === 'EACCES')
        return 'permission denied';
    return err instanceof Error ? err.message.split('\n')[0] : String(e);
}
/** IEEE 754 half precision bits to a number. */
function halfToFloat(bits) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0)
        return sign * 2 ** -14 * (fraction / 1024);
    if (exponent === 0x1f)
        return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
function bfloat16ToFloat(bits) {
    const view = new DataView(new ArrayBuffer(4));
    view.setUint32(0, (bits & 0xffff) << 16);
    return view.getFloat32(0);
}
const FLOAT_TYPES = new Set([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]);
/** Bytes per element in raw_data. */
const ELEMENT_BYTES = {
    [DataType.FLOAT]: 4,
    [DataType.DOUBLE]: 8,
    [DataType.FLOAT16]: 2,
    [DataType.BFLOAT16]: 2,
    [DataType.INT64]: 8,
    [DataType.UINT64]: 8,
    [DataType.INT32]: 4,
    [DataType.UINT32]: 4,
    [DataType.INT16]: 2,
    [DataType.UINT16]: 2,
    [DataType.INT8]: 1,
    [DataType.UINT8]: 1,
    [DataType.BOOL]: 1,
};
/** A tensor's data from raw_data, an external file or the typed field of its type; null when it has none. */
export function decodeTensor(t, name, external) {
    const count = product(t.dims);
    const type = t.data_type ?? DataType.UNDEFINED;
    let bytes;
    if (t.data_location === DataLocation.EXTERNAL)
        bytes = external.bytes(t, name);
    else if (t.raw_data !== undefined && t.raw_data.length > 0)
        bytes = t.raw_data;
    if (bytes !== undefined)
        return rawData(bytes, type, count, name);
    let list;
    switch (type) {
        case DataType.FLOAT:
            list = t.float_data;
            break;
        case DataType.DOUBLE:
            list = t.double_data;
            break;
        case DataType.INT64:
            list = t.int64_data;
            break;
        case DataType.UINT32:
        case DataType.UINT64:
            list = t.uint64_data;
            break;
        case DataType.INT32:
        case DataType.INT16:
        case DataType.INT8:
        case DataType.UINT16:
        case DataType.UINT8:
        case DataType.BOOL:
        case DataType.FLOAT16:
        case DataType.BFLOAT16:
            list = t.int32_data;
            break;
        default:
            throw new InputError(`tensor '${name}' has unsupported data type ${type}`);
    }
    if (list.length === 0)
        return count === 0 ? { floats: new Float32Array(0) } : null;
    if (list.length !== count)
        throw new InputError(`tensor '${name}' has ${list.length} values, its dims ${dimsText(t.dims)} need ${count}`);
    if (type === DataType.FLOAT16)
        return { floats: Float32Array.from(list, halfToFloat) };
    if (type === DataType.BFLOAT16)
        return { floats: Float32Array.from(list, bfloat16ToFloat) };
    return FLOAT_TYPES.has(type) ? { floats: Float32Array.from(list) } : { ints: list.slice() };
}
function rawData(bytes, type, count, name) {
    const size = ELEMENT_BYTES[type];
    if (size === undefined)
        throw new InputError(`tensor '${name}' has unsupported data type ${type}`);
    if (bytes.length !== count * size)
        throw new InputError(`tensor '${name}' has ${bytes.length} bytes of data, its dims need ${count * size}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const read = (f) => Array.from({ length: count }, (_, i) => f(i));
    switch (type) {
        case DataType.FLOAT: {
            const out = new Float32Array(count);
            for (let i = 0; i < count; i++)
                out[i] = view.getFloat32(4 * i, true);
            return { floats: out };
        }
        case DataType.DOUBLE:
            return { floats: Float32Array.from({ length: count }, (_, i) => view.getFloat64(8 * i, true)) };
        case DataType.FLOAT16:
            return {
                floats: Float32Array.from({ length: count }, (_, i) => halfToFloat(view.getUint16(2 * i, true))),
            };
        case DataType.BFLOAT16:
            return {
                floats: Float32Array.from({ length: count }, (_, i) => bfloat16ToFloat(view.getUint16(2 * i, true))),
            };
        case DataType.INT64:
            return { ints: read((i) => Number(view.getBigInt64(8 * i, true))) };
        case DataType.UINT64:
            return { ints: read((i) => Number(view.getBigUint64(8 * i, true))) };
        case DataType.INT32:
            return { ints: read((i) => view.getInt32(4 * i, true)) };
        case DataType.UINT32:
            return { ints: read((i) => view.getUint32(4 * i, true)) };
        case DataType.INT16:
            return { ints: read((i) => view.getInt16(2 * i, true)) };
        case DataType.UINT16:
            return { ints: read((i) => view.getUint16(2 * i, true)) };
        case DataType.INT8:
            return { ints: read((i) => view.getInt8(i)) };
        default:
            return { ints: read((i) => view.getUint8(i)) };
    }
}
/** Tensor data stored outside the model, in files of the model's folder (each file checked once). */
export class ExternalData {
    baseDir;
    files = new Map();
    constructor(baseDir) {
        this.baseDir = baseDir;
    }
    /**
     * The bytes of a tensor stored outside the model. The location must be a relative path to a regular
     * file inside the model's folder (no absolute path, no '..', no symbolic link out of it), and the
     * range must hold exactly the tensor's bytes: a model must not make us read /dev/urandom or
     * ~/.ssh (CVE-2024-27318). Only that range is read.
     */
    bytes(t, name) {
        const entries = new Map(t.external_data.map((e) => [e.key ?? '', e.value ?? '']));
        const location = entries.get('location');
        if (!location)
            throw new InputError(`tensor '${name}' is external but names no location`);
        const number = (key) => {
            const s = entries.get(key);
            if (s === undefined || s === '')
                return undefined;
            if (!/^\d+$/.test(s))
                throw new InputError(`tensor '${name}': external data ${key} '${s}' is not a number`);
            if (!Number.isSafeInteger(Number(s)))
                throw new InputError(`tensor '${name}': external data ${key} '${s}' is beyond any file`);
            return Number(s);
        };
        const offset = number('offset') ?? 0;
        const length = number('length');
        const type = t.data_type ?? DataType.UNDEFINED;
        const size = ELEMENT_BYTES[type];
        if (size === undefined)
            throw new InputError(`tensor '${name}' has unsupported data type ${type}`);
        const count = product(t.dims);
        const need = count * size;
        if (!t.dims.every((d) => Number.isInteger(d) && d >= 0) || !Number.isSafeInteger(need))
            throw new InputError(`tensor '${name}' has invalid dims ${dimsText(t.dims)}`);
        if (length !== undefined && length !== need)
            throw new InputError(`tensor '${name}': external data length ${length} does not match its dims ${dimsText(t.dims)} (${need} bytes)`);
        const file = this.file(location, name);
        const end = offset + need;
        // Without a length the tensor runs to the end of the file, as the ONNX reference reads it.
        if (length === undefined && end < file.size)
            throw new InputError(`tensor '${name}': external data file '${location}' holds ${file.size - offset} bytes from offset ${offset}, its dims ${dimsText(t.dims)} need ${need}`);
        if (end > file.size)
            throw new InputError(`tensor '${name}': external data file '${location}' is truncated: needs bytes ${offset}..${end}, it has ${file.size}`);
        const bytes = new Uint8Array(need);
        const fd = openSync(file.path, constants.O_RDONLY | constants.O_NONBLOCK);
        try {
            for (let done = 0; done < need;) {
                const n = readSync(fd, bytes, done, Math.min(need - done, 1 << 30), offset + done);
                if (n === 0)
                    throw new InputError(`tensor '${name}': external data file '${location}' ended while being read`);
                done += n;
            }
        }
        finally {
            closeSync(fd);
        }
        return bytes;
    }
    /** Where an external data location leads, checked to be a regular file inside the model's folder. */
    file(location, name) {
        const known = this.files.get(location);
        if (known !== undefined)
            return known;
        const bad = (why) => new InputError(`tensor '${name}': external data location '${location}' ${why}`);
        if (location.startsWith('/') || /^[A-Za-z]:/.test(location) || location.includes('\\'))
            throw bad("is not a relative path; it must name a file in the model's folder");
        if (location.includes('\0'))
            throw bad('holds a NUL character');
        if (location.split('/').includes('..'))
            throw bad("leaves the model's folder ('..')");
        if (this.baseDir === undefined)
            throw new InputError(`tensor '${name}' is stored in the external file '${location}' but the model's folder is unknown`);
        let path;
        let size;
        try {
            const folder = realpathSync(this.baseDir);
            path = realpathSync(resolve(folder, location));
            if (!path.startsWith(folder + sep))
                throw bad("is a symbolic link out of the model's folder");
            // Opened without blocking and checked on the descriptor: a FIFO or device must not hang us.
            const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
            try {
                const stat = fstatSync(fd);
                if (!stat.isFile())
                    throw bad('is not a regular file');
                size = stat.size;
            }
            finally {
                closeSync(fd);
            }
        }
        catch (e) {
            if (e instanceof InputError)
                throw e;
            throw new InputError(`tensor '${name}': cannot read external data file '${location}': ${ioReason(e)}`);
        }
        const file = { path, size };
        this.files.set(location, file);
        return file;
    }
}
//# sourceMappingURL=decode.js.map