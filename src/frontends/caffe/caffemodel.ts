// Binary Caffe weights (.caffemodel, a serialised NetParameter): the layer names and their blobs.
// Only the subset of caffe.proto needed for that is declared; protobufjs skips every other field.

import protobuf from 'protobufjs';
import { InputError } from '../../ir/errors.js';

/** A parameter blob: its values and the shape it declares (which real files do not always get right). */
export interface CaffeBlob {
  dims: number[];
  data: Float32Array;
}

const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });
const optional = (type: string, id: number) => ({ type, id });

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

let netParameter: protobuf.Type | undefined;

function netParameterType(): protobuf.Type {
  netParameter ??= protobuf.Root.fromJSON(schema).lookupType('NetParameter');
  return netParameter;
}

interface RawBlob {
  num?: number;
  channels?: number;
  height?: number;
  width?: number;
  data?: number[];
  shape?: { dim?: number[] };
  double_data?: number[];
}

interface RawLayer {
  name?: string;
  blobs?: RawBlob[];
}

/** The dims a blob declares: its `shape`, else the legacy num/channels/height/width. */
export function blobDims(b: {
  shape?: { dim?: number[] } | undefined;
  num?: number | undefined;
  channels?: number | undefined;
  height?: number | undefined;
  width?: number | undefined;
}): number[] {
  if (b.shape !== undefined) return [...(b.shape.dim ?? [])];
  if (b.num === undefined && b.channels === undefined && b.height === undefined && b.width === undefined)
    return [];
  return [b.num ?? 0, b.channels ?? 0, b.height ?? 0, b.width ?? 0];
}

/** protobufjs stops at its recursion limit; a stack overflow is the same failure reached another way. */
function nestedTooDeeply(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return /max depth exceeded/.test(e.message) || (e instanceof RangeError && /call stack/.test(e.message));
}

export interface Caffemodel {
  name: string | undefined;
  /** Blobs by layer name (the first layer of a name wins); layers without blobs are left out. */
  blobs: Map<string, CaffeBlob[]>;
}

/** Decodes a .caffemodel (new `layer` or old `layers` entries). Throws InputError naming the file. */
export function decodeCaffemodel(bytes: Uint8Array, file?: string): Caffemodel {
  let raw: { name?: string; layer?: RawLayer[]; layers?: RawLayer[] };
  try {
    const type = netParameterType();
    raw = type.toObject(type.decode(bytes), { longs: Number }) as typeof raw;
  } catch (e) {
    if (nestedTooDeeply(e))
      throw new InputError(`messages or groups are nested more than ${protobuf.util.recursionLimit} deep`, {
        file,
      });
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    throw new InputError(`not a valid caffemodel (truncated or not a Caffe NetParameter): ${why}`, { file });
  }
  const blobs = new Map<string, CaffeBlob[]>();
  for (const layer of [...(raw.layer ?? []), ...(raw.layers ?? [])]) {
    const name = layer.name ?? '';
    if (blobs.has(name) || layer.blobs === undefined || layer.blobs.length === 0) continue;
    blobs.set(
      name,
      layer.blobs.map((b, i) => {
        const values = b.data !== undefined && b.data.length > 0 ? b.data : (b.double_data ?? []);
        const dims = blobDims(b);
        if (values.length === 0 && dims.reduce((n, d) => n * d, 1) !== 0)
          throw new InputError(`blob ${i} has a shape but no values`, { file, node: name });
        return { dims, data: Float32Array.from(values) };
      }),
    );
  }
  return { name: raw.name, blobs };
}
