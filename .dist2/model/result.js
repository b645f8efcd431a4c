// What evaluating a segment schedule yields; the cost model predicts it, the simulator measures it.
/** Elements of a buffer's storage: its box (see BufferResult.extents), or channels times its raster run. */
export function storageElements(role, extents, kernelArea, hasBias, raster) {
    if (raster !== undefined)
        return extents[0] * raster;
    if (role === 'weights')
        return extents[0] * (extents[1] * kernelArea + (hasBias ? 1 : 0));
    return extents.reduce((a, b) => a * b, 1);
}
//# sourceMappingURL=result.js.map