// How far a computed tensor is from a reference one (PyTorch's, or the reference inference's).
import { InputError } from '../ir/errors.js';
import { shapeText } from '../ir/network.js';
/** Default tolerance: float32 results of a different summation order agree to about 1e-4 of the scale. */
export const defaultTolerance = 1e-4;
export function difference(actual, expected) {
    const a = actual.shape;
    const b = expected.shape;
    if (a.c !== b.c || a.h !== b.h || a.w !== b.w || actual.data.length !== expected.data.length)
        throw new InputError(`cannot compare a ${shapeText(a)} tensor with a ${shapeText(b)} one`);
    let maxAbs = 0;
    let maxRef = 0;
    let nan = false;
    for (let i = 0; i < expected.data.length; i++) {
        const d = Math.abs(actual.data[i] - expected.data[i]);
        if (Number.isNaN(d))
            nan = true;
        else if (d > maxAbs)
            maxAbs = d;
        maxRef = Math.max(maxRef, Math.abs(expected.data[i]));
    }
    // A NaN anywhere (or an infinity difference) must fail every tolerance.
    if (nan)
        maxAbs = Number.NaN;
    return { maxAbs, maxRef, relative: maxAbs === 0 ? 0 : maxAbs / maxRef };
}
/** True when max |actual - expected| <= tolerance * max |expected|. */
export function withinTolerance(d, tolerance = defaultTolerance) {
    return d.maxAbs <= tolerance * d.maxRef;
}
//# sourceMappingURL=compare.js.map