import protobuf from 'protobufjs';
/** TensorProto.DataType values. */
export declare const DataType: {
    readonly UNDEFINED: 0;
    readonly FLOAT: 1;
    readonly UINT8: 2;
    readonly INT8: 3;
    readonly UINT16: 4;
    readonly INT16: 5;
    readonly INT32: 6;
    readonly INT64: 7;
    readonly STRING: 8;
    readonly BOOL: 9;
    readonly FLOAT16: 10;
    readonly DOUBLE: 11;
    readonly UINT32: 12;
    readonly UINT64: 13;
    readonly COMPLEX64: 14;
    readonly COMPLEX128: 15;
    readonly BFLOAT16: 16;
};
/** AttributeProto.AttributeType values. */
export declare const AttributeType: {
    readonly UNDEFINED: 0;
    readonly FLOAT: 1;
    readonly INT: 2;
    readonly STRING: 3;
    readonly TENSOR: 4;
    readonly GRAPH: 5;
    readonly FLOATS: 6;
    readonly INTS: 7;
    readonly STRINGS: 8;
    readonly TENSORS: 9;
    readonly GRAPHS: 10;
    readonly SPARSE_TENSOR: 11;
    readonly SPARSE_TENSORS: 12;
    readonly TYPE_PROTO: 13;
    readonly TYPE_PROTOS: 14;
};
/** TensorProto.DataLocation values. */
export declare const DataLocation: {
    readonly DEFAULT: 0;
    readonly EXTERNAL: 1;
};
/** The ModelProto message type (decode/encode/verify). */
export declare const ModelProto: protobuf.Type;
export declare const TensorProto: protobuf.Type;
export interface StringStringEntry {
    key?: string;
    value?: string;
}
export interface OperatorSetId {
    domain?: string;
    version?: number;
}
export interface Tensor {
    dims: number[];
    data_type?: number;
    float_data: number[];
    int32_data: number[];
    string_data: Uint8Array[];
    int64_data: number[];
    name?: string;
    raw_data?: Uint8Array;
    double_data: number[];
    uint64_data: number[];
    external_data: StringStringEntry[];
    data_location?: number;
}
export interface Dimension {
    dim_value?: number;
    dim_param?: string;
}
export interface TypeInfo {
    tensor_type?: {
        elem_type?: number;
        shape?: {
            dim: Dimension[];
        };
    };
}
export interface ValueInfo {
    name?: string;
    type?: TypeInfo;
}
export interface Attribute {
    name?: string;
    type?: number;
    f?: number;
    i?: number;
    s?: Uint8Array;
    t?: Tensor;
    g?: Graph;
    floats: number[];
    ints: number[];
    strings: Uint8Array[];
    tensors: Tensor[];
    graphs: Graph[];
    ref_attr_name?: string;
}
export interface Node {
    input: string[];
    output: string[];
    name?: string;
    op_type?: string;
    attribute: Attribute[];
    domain?: string;
}
export interface Graph {
    node: Node[];
    name?: string;
    initializer: Tensor[];
    input: ValueInfo[];
    output: ValueInfo[];
    value_info: ValueInfo[];
}
export interface Model {
    ir_version?: number;
    producer_name?: string;
    producer_version?: string;
    domain?: string;
    graph?: Graph;
    opset_import: OperatorSetId[];
    metadata_props: StringStringEntry[];
}
/** Decodes a ModelProto into plain objects; throws protobufjs errors on malformed input. */
export declare function decodeModel(bytes: Uint8Array): Model;
/** Encodes a plain ModelProto object (as in `Model`, optional fields may be omitted). For writing test models. */
export declare function encodeModel(model: unknown): Uint8Array;
