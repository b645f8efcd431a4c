// Binary Caffe weights (.caffemodel, a serialised NetParameter): the layer names and their blobs.
// Only the subset of caffe.proto needed for that is declared; protobufjs skips every other field.
import protobuf from 'protobufjs';
import { InputError } from '../../ir/errors.js';
const repeated = (type, id) => ({ rule: 'repeated', type, id });
const optional = (type, id) => ({ type, id });
// Field numbers from caffe.proto.
const schema = {
    nested: {
        BlobShape: { fields: { dim: repeated('int64', 1) } },
        BlobProto: {
            fields: {
                num: optional('int64', 1),
                channels: optional('int64', 2),
                height: optional('int64', 3),
                width: optional('int64', 4),
                data: repeated('float', 5),
                shape: optional('BlobShape', 7),
                double_data: repeated('double', 8),
            },
        },
        LayerParameter: {
            fields: {
                name: optional('string', 1),
                type: optional('string', 2),
                blobs: repeated('BlobProto', 7),
            },
        },
        V1LayerParameter: {
            fields: {
                name: optional('string', 4),
                type: optional('int32', 5),
                blobs: repeated('BlobProto', 6),
            },
        },
        NetParameter: {
            fields: {
                name: optional('string', 1),
                layers: repeated('V1LayerParameter', 2),
                layer: repeated('LayerParameter', 100),
            },
        },
    },
};
let netParameter;
function netParameterType() {
    netParameter ??= protobuf.Root.fromJSON(schema).lookupType('NetParameter');
    return netParameter;
}
/** The dims a blob declares: its `shape`, else the legacy num/channels/height/width. */
export function blobDims(b) {
    if (b.shape !== undefined)
        return [...(b.shape.dim ?? [])];
    if (b.num === undefined && b.channels === undefined && b.height === undefined && b.width === undefined)
        return [];
    return [b.num ?? 0, b.channels ?? 0, b.height ?? 0, b.width ?? 0];
}
/** protobufjs stops at its recursion limit; a stack overflow is the same failure reached another way. */
function nestedTooDeeply(e) {
    if (!(e instanceof Error))
        return false;
    return /max depth exceeded/.test(e.message) || (e instanceof RangeError && /call stack/.test(e.message));
}
/** Decodes a .caffemodel (new `layer` or old `layers` entries). Throws InputError naming the file. */
export function decodeCaffemodel(bytes, file) {
    let raw;
    try {
        const type = netParameterType();
        raw = type.toObject(type.decode(bytes), { longs: Number });
    }
    catch (e) {
        if (nestedTooDeeply(e))
            throw new InputError(`messages or groups are nested more than ${protobuf.util.recursionLimit} deep`, {
                file,
            });
        const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
        throw new InputError(`not a valid caffemodel (truncated or not a Caffe NetParameter): ${why}`, { file });
    }
    const blobs = new Map();
    for (const layer of [...(raw.layer ?? []), ...(raw.layers ?? [])]) {
        const name = layer.name ?? '';
        if (blobs.has(name) || layer.blobs === undefined || layer.blobs.length === 0)
            continue;
        blobs.set(name, layer.blobs.map((b, i) => {
            const values = b.data !== undefined && b.data.length > 0 ? b.data : (b.double_data ?? []);
            const dims = blobDims(b);
            if (values.length === 0 && dims.reduce((n, d) => n * d, 1) !== 0)
                throw new InputError(`blob ${i} has a shape but no values`, { file, node: name });
            return { dims, data: Float32Array.from(values) };
        }));
    }
    return { name: raw.name, blobs };
}
//# sourceMappingURL=caffemodel.js.map