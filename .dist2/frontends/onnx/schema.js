// The subset of onnx.proto (proto2) that the frontend reads, as protobufjs reflection objects.
// Field numbers follow the ONNX format; fields we never read are left out (protobufjs skips them).
import protobuf from 'protobufjs';
/** TensorProto.DataType values. */
export const DataType = {
    UNDEFINED: 0,
    FLOAT: 1,
    UINT8: 2,
    INT8: 3,
    UINT16: 4,
    INT16: 5,
    INT32: 6,
    INT64: 7,
    STRING: 8,
    BOOL: 9,
    FLOAT16: 10,
    DOUBLE: 11,
    UINT32: 12,
    UINT64: 13,
    COMPLEX64: 14,
    COMPLEX128: 15,
    BFLOAT16: 16,
};
/** AttributeProto.AttributeType values. */
export const AttributeType = {
    UNDEFINED: 0,
    FLOAT: 1,
    INT: 2,
    STRING: 3,
    TENSOR: 4,
    GRAPH: 5,
    FLOATS: 6,
    INTS: 7,
    STRINGS: 8,
    TENSORS: 9,
    GRAPHS: 10,
    SPARSE_TENSOR: 11,
    SPARSE_TENSORS: 12,
    TYPE_PROTO: 13,
    TYPE_PROTOS: 14,
};
/** TensorProto.DataLocation values. */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 };
const enumValues = (e) => ({ values: { ...e } });
const descriptor = {
    nested: {
        onnx: {
            nested: {
                StringStringEntryProto: {
                    fields: {
                        key: { type: 'string', id: 1 },
                        value: { type: 'string', id: 2 },
                    },
                },
                OperatorSetIdProto: {
                    fields: {
                        domain: { type: 'string', id: 1 },
                        version: { type: 'int64', id: 2 },
                    },
                },
                TensorProto: {
                    fields: {
                        dims: { rule: 'repeated', type: 'int64', id: 1 },
                        data_type: { type: 'int32', id: 2 },
                        float_data: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
                        int32_data: { rule: 'repeated', type: 'int32', id: 5, options: { packed: true } },
                        string_data: { rule: 'repeated', type: 'bytes', id: 6 },
                        int64_data: { rule: 'repeated', type: 'int64', id: 7, options: { packed: true } },
                        name: { type: 'string', id: 8 },
                        raw_data: { type: 'bytes', id: 9 },
                        double_data: { rule: 'repeated', type: 'double', id: 10, options: { packed: true } },
                        uint64_data: { rule: 'repeated', type: 'uint64', id: 11, options: { packed: true } },
                        doc_string: { type: 'string', id: 12 },
                        external_data: { rule: 'repeated', type: 'StringStringEntryProto', id: 13 },
                        data_location: { type: 'DataLocation', id: 14 },
                    },
                    nested: {
                        DataType: enumValues(DataType),
                        DataLocation: enumValues(DataLocation),
                    },
                },
                TensorShapeProto: {
                    fields: {
                        dim: { rule: 'repeated', type: 'Dimension', id: 1 },
                    },
                    nested: {
                        Dimension: {
                            oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
                            fields: {
                                dim_value: { type: 'int64', id: 1 },
                                dim_param: { type: 'string', id: 2 },
                                denotation: { type: 'string', id: 3 },
                            },
                        },
                    },
                },
                TypeProto: {
                    oneofs: { value: { oneof: ['tensor_type'] } },
                    fields: {
                        tensor_type: { type: 'Tensor', id: 1 },
                        denotation: { type: 'string', id: 6 },
                    },
                    nested: {
                        Tensor: {
                            fields: {
                                elem_type: { type: 'int32', id: 1 },
                                shape: { type: 'TensorShapeProto', id: 2 },
                            },
                        },
                    },
                },
                ValueInfoProto: {
                    fields: {
                        name: { type: 'string', id: 1 },
                        type: { type: 'TypeProto', id: 2 },
                        doc_string: { type: 'string', id: 3 },
                    },
                },
                AttributeProto: {
                    fields: {
                        name: { type: 'string', id: 1 },
                        f: { type: 'float', id: 2 },
                        i: { type: 'int64', id: 3 },
                        s: { type: 'bytes', id: 4 },
                        t: { type: 'TensorProto', id: 5 },
                        g: { type: 'GraphProto', id: 6 },
                        floats: { rule: 'repeated', type: 'float', id: 7 },
                        ints: { rule: 'repeated', type: 'int64', id: 8 },
                        strings: { rule: 'repeated', type: 'bytes', id: 9 },
                        tensors: { rule: 'repeated', type: 'TensorProto', id: 10 },
                        graphs: { rule: 'repeated', type: 'GraphProto', id: 11 },
                        doc_string: { type: 'string', id: 13 },
                        type: { type: 'AttributeType', id: 20 },
                        ref_attr_name: { type: 'string', id: 21 },
                    },
                    nested: {
                        AttributeType: enumValues(AttributeType),
                    },
                },
                NodeProto: {
                    fields: {
                        input: { rule: 'repeated', type: 'string', id: 1 },
                        output: { rule: 'repeated', type: 'string', id: 2 },
                        name: { type: 'string', id: 3 },
                        op_type: { type: 'string', id: 4 },
                        attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
                        doc_string: { type: 'string', id: 6 },
                        domain: { type: 'string', id: 7 },
                    },
                },
                GraphProto: {
                    fields: {
                        node: { rule: 'repeated', type: 'NodeProto', id: 1 },
                        name: { type: 'string', id: 2 },
                        initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
                        doc_string: { type: 'string', id: 10 },
                        input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
                        output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
                        value_info: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
                    },
                },
                ModelProto: {
                    fields: {
                        ir_version: { type: 'int64', id: 1 },
                        producer_name: { type: 'string', id: 2 },
                        producer_version: { type: 'string', id: 3 },
                        domain: { type: 'string', id: 4 },
                        model_version: { type: 'int64', id: 5 },
                        doc_string: { type: 'string', id: 6 },
                        graph: { type: 'GraphProto', id: 7 },
                        opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
                        metadata_props: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
                    },
                },
            },
        },
    },
};
const root = protobuf.Root.fromJSON(descriptor);
/** The ModelProto message type (decode/encode/verify). */
export const ModelProto = root.lookupType('onnx.ModelProto');
export const TensorProto = root.lookupType('onnx.TensorProto');
/** Decodes a ModelProto into plain objects; throws protobufjs errors on malformed input. */
export function decodeModel(bytes) {
    const message = ModelProto.decode(bytes);
    return ModelProto.toObject(message, {
        longs: Number,
        enums: Number,
        arrays: true,
        defaults: false,
        oneofs: false,
    });
}
/** Encodes a plain ModelProto object (as in `Model`, optional fields may be omitted). For writing test models. */
export function encodeModel(model) {
    const problem = ModelProto.verify(model);
    if (problem)
        throw new Error(`invalid ModelProto: ${problem}`);
    return ModelProto.encode(ModelProto.fromObject(model)).finish();
}
//# sourceMappingURL=schema.js.map