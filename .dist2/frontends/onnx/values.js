// Values: what an ONNX tensor name stands for while converting.
/** What a value is, in the words of an error message. */
export function describe(v) {
    switch (v?.kind) {
        case 'const':
            return 'a constant';
        case 'padded':
            return 'the output of a Pad (only foldable into Conv or AveragePool)';
        case 'grouped':
        case 'transposed':
            return 'part of an incomplete channel shuffle (Reshape-Transpose-Reshape)';
        case 'tensor':
            return 'a feature map';
        default:
            return 'not available';
    }
}
//# sourceMappingURL=values.js.map