import { describe, expect, it } from 'vitest';
import { type ConstTensor, evaluate, type FoldAttrs } from '../../src/frontends/onnx/constfold.js';
import { DataType } from '../../src/frontends/onnx/schema.js';
import { InputError } from '../../src/ir/index.js';

function attrs(a: Record<string, number | number[] | ConstTensor> = {}): FoldAttrs {
  return {
    has: (n) => n in a,
    int: (n, fallback) => (typeof a[n] === 'number' ? a[n] : fallback),
    ints: (n) => (Array.isArray(a[n]) ? a[n] : undefined),
    float: (n, fallback) => (typeof a[n] === 'number' ? a[n] : fallback),
    tensor: (n) => {
      const v = a[n];
      return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
    },
  };
}

const ints = (v: number[], dims = [v.length]): ConstTensor => ({ dims, ints: v });
const scalar = (v: number): ConstTensor => ({ dims: [], ints: [v] });
const fl = (v: number[], dims = [v.length]): ConstTensor => ({ dims, floats: Float32Array.from(v) });
const run = (op: string, inputs: (ConstTensor | undefined)[], a = {}) => evaluate(op, inputs, attrs(a));
/** dims and values as plain lists. */
const plain = (t: ConstTensor) => ({ dims: t.dims, values: Array.from(t.floats ?? t.ints ?? []) });

describe('constant folding of shape subgraphs', () => {
  const shape = ints([1, 32, 7, 9]);

  it('Shape (with start/end), Size, Gather (scalar, list, negative, along axis 1)', () => {
    const map: ConstTensor = { dims: [1, 32, 7, 9] };
    expect(plain(run('Shape', [map]))).toEqual({ dims: [4], values: [1, 32, 7, 9] });
    expect(plain(run('Shape', [map], { start: 1, end: -1 }))).toEqual({ dims: [2], values: [32, 7] });
    expect(plain(run('Shape', [map], { start: -9, end: 10 }))).toEqual({ dims: [4], values: [1, 32, 7, 9] });
    expect(plain(run('Size', [map]))).toEqual({ dims: [], values: [2016] });
    expect(plain(run('Gather', [shape, scalar(1)]))).toEqual({ dims: [], values: [32] });
    expect(plain(run('Gather', [shape, ints([-1, 2])]))).toEqual({ dims: [2], values: [9, 7] });
    const m = ints([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(plain(run('Gather', [m, ints([2, 0])], { axis: 1 }))).toEqual({
      dims: [2, 2],
      values: [3, 1, 6, 4],
    });
    expect(() => run('Gather', [shape, scalar(4)])).toThrow('Gather index 4 is out of range for 4');
  });

  it('integer arithmetic truncates; broadcasting follows numpy; float stays float', () => {
    expect(plain(run('Div', [scalar(32), scalar(3)]))).toEqual({ dims: [], values: [10] });
    expect(plain(run('Div', [scalar(-7), scalar(2)]))).toEqual({ dims: [], values: [-3] });
    expect(plain(run('Mod', [scalar(-7), scalar(3)]))).toEqual({ dims: [], values: [2] });
    expect(plain(run('Add', [ints([1, 2, 3]), scalar(10)]))).toEqual({ dims: [3], values: [11, 12, 13] });
    expect(plain(run('Mul', [ints([1, 2], [2, 1]), ints([1, 10, 100])]))).toEqual({
      dims: [2, 3],
      values: [1, 10, 100, 2, 20, 200],
    });
    const half = run('Div', [fl([3]), scalar(2)]);
    expect(half.floats).toBeInstanceOf(Float32Array);
    expect(plain(half).values).toEqual([1.5]);
    expect(() => run('Add', [ints([1, 2]), ints([1, 2, 3])])).toThrow('Add cannot broadcast [2] and [3]');
  });

  it('Unsqueeze and Squeeze in attribute (opset 11) and input (opset 13) forms', () => {
    expect(run('Unsqueeze', [scalar(5)], { axes: [0] }).dims).toEqual([1]);
    expect(run('Unsqueeze', [scalar(5), ints([0])], {}).dims).toEqual([1]);
    expect(run('Unsqueeze', [ints([1, 2]), ints([0, -1])], {}).dims).toEqual([1, 2, 1]);
    expect(run('Squeeze', [ints([4], [1, 1, 1])], { axes: [1] }).dims).toEqual([1, 1]);
    expect(run('Squeeze', [ints([4], [1, 1, 1]), ints([0, 2])], {}).dims).toEqual([1]);
    expect(run('Squeeze', [ints([4, 5], [1, 2, 1])], {}).dims).toEqual([2]);
    expect(() => run('Squeeze', [ints([4, 5], [1, 2]), ints([1])], {})).toThrow('Squeeze axis 1 has size 2');
  });

  it('Concat, Slice (attributes before opset 10, clamping, negative steps), Reshape, Flatten', () => {
    const t = run('Concat', [ints([1]), ints([2, 3]), ints([-1])], { axis: 0 });
    expect(plain(t)).toEqual({ dims: [4], values: [1, 2, 3, -1] });
    const m = ints([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(plain(run('Concat', [m, ints([7, 8], [2, 1])], { axis: -1 }))).toEqual({
      dims: [2, 4],
      values: [1, 2, 3, 7, 4, 5, 6, 8],
    });
    expect(plain(run('Slice', [shape], { starts: [1], ends: [3] }))).toEqual({
      dims: [2],
      values: [32, 7],
    });
    // INT64_MAX as decoded (a double): "to the end".
    const big = 2 ** 63;
    expect(plain(run('Slice', [shape, ints([-2]), ints([big])], {}))).toEqual({
      dims: [2],
      values: [7, 9],
    });
    expect(plain(run('Slice', [shape, ints([-1]), ints([-big]), ints([0]), ints([-1])]))).toEqual({
      dims: [4],
      values: [9, 7, 32, 1],
    });
    expect(plain(run('Slice', [m, ints([1]), ints([3]), ints([1])]))).toEqual({
      dims: [2, 2],
      values: [2, 3, 5, 6],
    });
    expect(run('Reshape', [m, ints([0, -1, 1])]).dims).toEqual([2, 3, 1]);
    expect(() => run('Reshape', [m, ints([4, -1])])).toThrow('cannot reshape [2, 3] to [4, -1]');
    expect(run('Flatten', [ints(Array(24).fill(0), [2, 3, 4])], { axis: 2 }).dims).toEqual([6, 4]);
  });

  it('Cast, ConstantOfShape, Expand, Range, comparisons and Where (the view(-1) idiom)', () => {
    expect(plain(run('Cast', [fl([2.7, -2.7])], { to: DataType.INT64 }))).toEqual({
      dims: [2],
      values: [2, -2],
    });
    expect(run('Cast', [ints([3])], { to: DataType.FLOAT }).floats).toEqual(new Float32Array([3]));
    expect(plain(run('Cast', [ints([0, 5])], { to: DataType.BOOL }))).toEqual({ dims: [2], values: [0, 1] });
    expect(plain(run('ConstantOfShape', [ints([2, 2])]))).toEqual({ dims: [2, 2], values: [0, 0, 0, 0] });
    const one = run('ConstantOfShape', [ints([3])], { value: ints([1], [1]) });
    expect(plain(one)).toEqual({ dims: [3], values: [1, 1, 1] });
    expect(one.ints).toBeDefined();
    expect(plain(run('Expand', [ints([7]), ints([2, 2])]))).toEqual({ dims: [2, 2], values: [7, 7, 7, 7] });
    expect(plain(run('Range', [scalar(0), scalar(7), scalar(3)]))).toEqual({ dims: [3], values: [0, 3, 6] });
    // Where(Equal(target, -1), 1, target): the exporter's rewrite of -1 in a view target.
    const target = ints([1, -1, 4]);
    const isAuto = run('Equal', [target, scalar(-1)]);
    expect(plain(isAuto).values).toEqual([0, 1, 0]);
    expect(plain(run('Where', [isAuto, scalar(1), target]))).toEqual({ dims: [3], values: [1, 1, 4] });
    expect(plain(run('Not', [isAuto])).values).toEqual([1, 0, 1]);
    expect(plain(run('Max', [ints([1, 5]), scalar(3), ints([0, 9])]))).toEqual({ dims: [2], values: [3, 9] });
    expect(plain(run('ReduceProd', [ints([2, 3, 4])], { keepdims: 0 }))).toEqual({
      dims: [],
      values: [24],
    });
  });

  it('errors are InputErrors with the reason', () => {
    const e = (() => {
      try {
        run('Gather', [shape, undefined]);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toBe('Gather has no indices');
    expect(() => run('Cast', [shape], { to: DataType.STRING })).toThrow(
      'Cast to data type 8 is not supported',
    );
  });
});
