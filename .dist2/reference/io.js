// Input tensors from files: PNG images and raw little-endian float32 dumps.
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { InputError } from '../ir/errors.js';
import { elements, shapeText } from '../ir/network.js';
function readBytes(path) {
    try {
        return readFileSync(path);
    }
    catch (e) {
        const code = e.code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : e.message;
        throw new InputError(`cannot read the file: ${why}`, { file: path });
    }
}
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/**
 * Reads a PNG (greyscale or colour, any bit depth; alpha ignored) as a tensor of the given shape with
 * values in [0, 1]. One channel from a colour image is its luma, `Y = 16 + 0.257 R + 0.504 G + 0.098 B`
 * on the 0..255 scale, divided by 255 (the traffic-sign detector's convention); three channels from a
 * greyscale image repeat the grey value. (pngjs turns pixels of a tRNS transparent colour black.)
 */
export function readImage(path, shape) {
    const bytes = readBytes(path);
    if (bytes.length < pngSignature.length || pngSignature.some((b, i) => bytes[i] !== b))
        throw new InputError('is not a PNG file', { file: path });
    if (shape.c !== 1 && shape.c !== 3)
        throw new InputError(`an image gives 1 or 3 channels, the network wants ${shape.c}`, { file: path });
    let png;
    try {
        // Keep 16-bit samples instead of letting pngjs round them to 8 bits.
        png = PNG.sync.read(bytes, { skipRescale: true });
    }
    catch (e) {
        const message = e.message;
        // pngjs reports a file that ends early as pending reads on a finished stream.
        const why = /read requests/.test(message) ? 'the file ends early' : message;
        throw new InputError(`cannot decode the PNG: ${why}`, { file: path });
    }
    if (png.width !== shape.w || png.height !== shape.h)
        throw new InputError(`the image is ${png.width}x${png.height} (width x height), the network wants ${shape.w}x${shape.h}`, { file: path });
    // pngjs gives RGBA; palette images come out as 8-bit colours.
    const rgba = png.data;
    const max = png.palette ? 255 : 2 ** png.depth - 1;
    const plane = shape.h * shape.w;
    const data = new Float32Array(shape.c * plane);
    for (let i = 0; i < plane; i++) {
        const r = rgba[4 * i] / max;
        const g = rgba[4 * i + 1] / max;
        const b = rgba[4 * i + 2] / max;
        if (shape.c === 3) {
            data[i] = r;
            data[plane + i] = g;
            data[2 * plane + i] = b;
        }
        else if (png.color)
            data[i] = (16 + 255 * (0.257 * r + 0.504 * g + 0.098 * b)) / 255;
        else
            data[i] = r;
    }
    return { shape, data };
}
/** Reads a raw little-endian float32 file (CHW) of exactly the given shape. */
export function readRaw(path, shape) {
    const bytes = readBytes(path);
    const expected = elements(shape) * 4;
    if (bytes.length !== expected)
        throw new InputError(`holds ${bytes.length} bytes, a float32 tensor ${shapeText(shape)} needs ${expected}`, { file: path });
    return { shape, data: float32Values(bytes, 0, elements(shape), path) };
}
/**
 * `count` little-endian float32 values from byte `at` on. NaN and infinities are refused: outputs
 * computed from them cannot be compared with the reference's.
 */
export function float32Values(bytes, at, count, file) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) {
        data[i] = view.getFloat32(at + 4 * i, true);
        if (!Number.isFinite(data[i]))
            throw new InputError(`element ${at / 4 + i} (byte ${at + 4 * i}) is ${data[i]}, not a finite number`, {
                file,
            });
    }
    return data;
}
//# sourceMappingURL=io.js.map