// The elements a buffer can hold, numbered row-major over the four dimensions so that sets of them are
// typed arrays indexed by element.
// Every space has four dimensions: activations [c, y, x, 0], weights [o, i, ky, kx] with the bias of
// output channel o at [o, -1, 0, 0].
export function activationSpace(shape, margin = { y: 0, x: 0 }) {
    const sizes = [shape.c, shape.h + margin.y, shape.w + margin.x, 1];
    return {
        sizes,
        low: [0, 0 - margin.y, 0 - margin.x, 0],
        weights: false,
        extentDims: 3,
        elements: sizes[0] * sizes[1] * sizes[2],
    };
}
export function weightSpace(w) {
    const [kh, kw] = w.kernel;
    const sizes = [w.outChannels, w.perGroupIn + 1, kh, kw];
    return { sizes, low: [0, -1, 0, 0], weights: true, extentDims: 2, elements: sizes[0] * sizes[1] * kh * kw };
}
//# sourceMappingURL=space.js.map