/** A constant tensor: floating-point data as float32, integer and bool data as numbers. */
export interface ConstTensor {
    dims: number[];
    floats?: Float32Array;
    ints?: number[];
}
/** What evaluation needs of a node's attributes. */
export interface FoldAttrs {
    has(name: string): boolean;
    int(name: string, fallback: number): number;
    ints(name: string): number[] | undefined;
    float(name: string, fallback: number): number;
    /** A tensor attribute, decoded (ConstantOfShape's value). */
    tensor(name: string): ConstTensor | undefined;
}
/** Operators evaluated when every input is a constant. */
export declare const FOLDABLE: Set<string>;
/** Dims of a Reshape target with 0 (copy, unless allowzero) and -1 (infer) resolved. */
export declare function reshapeDims(from: readonly number[], target: readonly number[], allowZero: boolean): number[];
/**
 * Evaluates one node on constant inputs ('' inputs are omitted optional ones, undefined here).
 * Axes, bounds and targets come from the input when given, else from the attribute (the form of
 * opsets before 10 or 13), so a file of any opset evaluates.
 */
export declare function evaluate(op: string, inputs: (ConstTensor | undefined)[], attrs: FoldAttrs): ConstTensor;
