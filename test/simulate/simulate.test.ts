import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import type { LayerSpec, Network, Shape } from '../../src/ir/network.js';
import type { BufferResult, SegmentResult } from '../../src/model/result.js';
import type { BufferLevels, Level, LoopName, SegmentSchedule, TileSizes } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { simulateSegment } from '../../src/simulate/simulate.js';
import { conv, pool as maxPool } from '../layers.js';

const pad1 = { top: 1, left: 1, bottom: 1, right: 1 };

function net(inputs: Record<string, Shape>, specs: LayerSpec[]): Network {
  return buildNetwork(
    'test',
    Object.entries(inputs).map(([name, shape]) => ({ name, shape })),
    specs,
  );
}

const at = (store: Level, fill: Level = store): BufferLevels => ({ store, fill });

function run(
  n: Network,
  layers: string[],
  tile: TileSizes,
  order: [LoopName, LoopName, LoopName, LoopName],
  buffers: Record<string, BufferLevels>,
  elementBytes: 1 | 2 | 4 = 1,
): SegmentResult {
  const s: SegmentSchedule = { layers, tile, order, buffers };
  return simulateSegment(n, analyzeSegment(n, layers), s, elementBytes);
}

function buffer(r: SegmentResult, id: string): BufferResult {
  const b = r.buffers.find((x) => x.id === id);
  if (!b) throw new Error(`no buffer ${id}`);
  return b;
}

/** filled, dramReads, dramWrites, extents of a buffer. */
function counts(r: SegmentResult, id: string): [number, number, number, number[]] {
  const b = buffer(r, id);
  return [b.filled, b.dramReads, b.dramWrites, b.extents];
}

const yxOrder: [LoopName, LoopName, LoopName, LoopName] = ['y', 'x', 'zo', 'zi'];

describe('a single 3x3 convolution', () => {
  // 1x6x6 -> 2x6x6, pad 1, bias.
  const n = net({ in: { c: 1, h: 6, w: 6 } }, [conv('conv', 'in', 2, 3, { pads: pad1 })]);
  const whole = { x: 6, y: 6, zo: 2, zi: 1 };

  it('with one tile and everything at root reads and writes every element once', () => {
    const r = run(
      n,
      ['conv'],
      whole,
      yxOrder,
      { 'in@conv': at('root'), 'conv:weights': at('root'), conv: at('root') },
      2,
    );
    expect(counts(r, 'in@conv')).toEqual([36, 36, 0, [1, 6, 6]]);
    expect(counts(r, 'conv:weights')).toEqual([20, 20, 0, [2, 1]]); // 2 x 9 taps + 2 biases
    expect(counts(r, 'conv')).toEqual([72, 0, 72, [2, 6, 6]]);
    expect(buffer(r, 'in@conv').bytes).toBe(72);
    expect(buffer(r, 'conv:weights').bytes).toBe(40);
    expect(buffer(r, 'conv').bytes).toBe(144);
    expect(r.dramReads).toBe(56);
    expect(r.dramWrites).toBe(72);
    expect(r.onChipBytes).toBe(256);
    expect(r.macs).toBe(2 * 36 * 9);
    expect(r.layerMacs).toEqual({ conv: 648 });
  });

  const rows = { x: 6, y: 2, zo: 2, zi: 1 };

  it('tiled by 2 rows with the input stored and filled per row tile reloads the halo rows', () => {
    // Row tiles [0,2) [2,4) [4,6) read input rows 0..2, 1..4, 3..5 (the padding rows -1 and 6 are never read).
    const r = run(n, ['conv'], rows, yxOrder, {
      'in@conv': at('y'),
      'conv:weights': at('root'),
      conv: at('y'),
    });
    expect(counts(r, 'in@conv')).toEqual([60, 60, 0, [1, 4, 6]]);
    expect(counts(r, 'conv:weights')).toEqual([20, 20, 0, [2, 1]]);
    expect(counts(r, 'conv')).toEqual([72, 0, 72, [2, 2, 6]]);
    expect(r.macs).toBe(648);
    expect(r.onChipBytes).toBe(24 + 20 + 24);
  });

  it('reloads the weights per row tile when they are filled there', () => {
    const r = run(n, ['conv'], rows, yxOrder, { 'in@conv': at('y'), 'conv:weights': at('y'), conv: at('y') });
    expect(counts(r, 'conv:weights')).toEqual([60, 60, 0, [2, 1]]);
  });

  it('stored at root and filled per row tile reads the input once through a 4-row window', () => {
    const r = run(n, ['conv'], rows, yxOrder, {
      'in@conv': at('root', 'y'),
      'conv:weights': at('root'),
      conv: at('y'),
    });
    // New rows per tile: 0..2, 3..4, 5.
    expect(counts(r, 'in@conv')).toEqual([36, 36, 0, [1, 4, 6]]);
    expect(r.dramReads).toBe(56);
  });

  it('filled per 2x3 tile under a root store keeps a band of full width', () => {
    // y is the outer reuse loop (window of 4 rows), x the inner one (the whole width stays).
    const r = run(n, ['conv'], { x: 3, y: 2, zo: 2, zi: 1 }, yxOrder, {
      'in@conv': at('root', 'x'),
      'conv:weights': at('root'),
      conv: at('x'),
    });
    expect(counts(r, 'in@conv')).toEqual([36, 36, 0, [1, 4, 6]]);
    expect(counts(r, 'conv')).toEqual([72, 0, 72, [2, 2, 3]]);
    // Stored per row tile: within a band the columns are still loaded once (4 + 2 new columns).
    const s = run(n, ['conv'], { x: 3, y: 2, zo: 2, zi: 1 }, yxOrder, {
      'in@conv': at('y', 'x'),
      'conv:weights': at('root'),
      conv: at('x'),
    });
    expect(counts(s, 'in@conv')).toEqual([60, 60, 0, [1, 4, 4]]);
    // Stored per tile: the column halo (input columns 2..3) is reloaded, 4 + 4 columns per band.
    const t = run(n, ['conv'], { x: 3, y: 2, zo: 2, zi: 1 }, yxOrder, {
      'in@conv': at('x'),
      'conv:weights': at('root'),
      conv: at('x'),
    });
    expect(counts(t, 'in@conv')).toEqual([(3 + 4 + 3) * 8, 80, 0, [1, 4, 4]]);
  });
});

describe('many tile steps', () => {
  it('streams ten thousand 1x1 tiles through a line buffer, loading each input element once', () => {
    // 1x102x102 -> 1x100x100 (3x3, no padding); one output element per tile step.
    const n = net({ in: { c: 1, h: 102, w: 102 } }, [conv('conv', 'in', 1, 3)]);
    let reads = 0;
    const r = simulateSegment(
      n,
      analyzeSegment(n, ['conv']),
      {
        layers: ['conv'],
        tile: { x: 1, y: 1, zo: 1, zi: 1 },
        order: yxOrder,
        buffers: { 'in@conv': at('root', 'x'), 'conv:weights': at('root'), conv: at('x') },
      },
      1,
      { onProgress: (n) => (reads = n) },
    );
    // Rows slide (3 live), the full width of each stays: a 3 x 102 line buffer.
    expect(counts(r, 'in@conv')).toEqual([102 * 102, 102 * 102, 0, [1, 3, 102]]);
    expect(counts(r, 'conv:weights')).toEqual([10, 10, 0, [1, 1]]);
    expect(counts(r, 'conv')).toEqual([10_000, 0, 10_000, [1, 1, 1]]);
    expect(r.macs).toBe(90_000);
    // Per output: 9 weights, the bias and 9 inputs.
    expect(reads).toBe(10_000 * 19);
  });
});

describe('a tiled reduction', () => {
  // 4x3x3 -> 2x3x3 with a 1x1 kernel: the reduction is over 4 input channels.
  const n = net({ in: { c: 4, h: 3, w: 3 } }, [conv('conv', 'in', 2, 1)]);
  const halves = { x: 3, y: 3, zo: 2, zi: 2 };

  it('writes partial sums out and reads them back when the output is filled inside the zi loop', () => {
    const r = run(n, ['conv'], halves, ['zi', 'y', 'x', 'zo'], {
      'in@conv': at('zi'),
      'conv:weights': at('zi'),
      conv: at('zi'),
    });
    // 18 outputs x 2 reduction tiles written, 18 x 1 read back.
    expect(counts(r, 'conv')).toEqual([36, 18, 36, [2, 3, 3]]);
    expect(counts(r, 'in@conv')).toEqual([36, 36, 0, [2, 3, 3]]);
    // zi tile 0: 2 outputs x (2 channels + bias); zi tile 1: 2 x 2 channels.
    expect(counts(r, 'conv:weights')).toEqual([10, 10, 0, [2, 2]]);
    expect(buffer(r, 'conv:weights').bytes).toBe(6);
    expect(r.macs).toBe(18 * 4);
    expect(r.dramReads).toBe(36 + 10 + 18);
    expect(r.dramWrites).toBe(36);
  });

  it('does the same with the zi loop inside the row loop and uneven reduction tiles', () => {
    const r = run(n, ['conv'], { x: 3, y: 1, zo: 2, zi: 3 }, ['y', 'zi', 'x', 'zo'], {
      'in@conv': at('root'),
      'conv:weights': at('root'),
      conv: at('zi'),
    });
    expect(counts(r, 'conv')).toEqual([36, 18, 36, [2, 1, 3]]);
    expect(counts(r, 'conv:weights')).toEqual([10, 10, 0, [2, 4]]);
    expect(r.macs).toBe(72);
  });

  it('keeps partial sums on chip when the output is filled outside the zi loop', () => {
    const r = run(n, ['conv'], halves, ['y', 'x', 'zo', 'zi'], {
      'in@conv': at('zi'),
      'conv:weights': at('zi'),
      conv: at('zo'),
    });
    expect(counts(r, 'conv')).toEqual([18, 0, 18, [2, 3, 3]]);
    expect(counts(r, 'conv:weights')).toEqual([10, 10, 0, [2, 2]]);
  });

  it('keeps partial sums on chip when the output is stored at root, even if filled inside zi', () => {
    const r = run(n, ['conv'], halves, ['zi', 'y', 'x', 'zo'], {
      'in@conv': at('zi'),
      'conv:weights': at('zi'),
      conv: at('root', 'zi'),
    });
    expect(counts(r, 'conv')).toEqual([18, 0, 18, [2, 3, 3]]);
  });
});

describe('a fused chain of two 3x3 convolutions', () => {
  // in 1x6x6 -> a (1x6x6) -> b (1x6x6), both pad 1; output computed one row at a time.
  const n = net({ in: { c: 1, h: 6, w: 6 } }, [
    conv('a', 'in', 1, 3, { pads: pad1 }),
    conv('b', 'a', 1, 3, { pads: pad1 }),
  ]);
  const row = { x: 6, y: 1, zo: 1, zi: 1 };

  it('computes the intermediate once through a 3-row line buffer', () => {
    const r = run(n, ['a', 'b'], row, yxOrder, {
      'in@a': at('root', 'y'),
      'a:weights': at('root'),
      'b:weights': at('root'),
      a: at('root', 'y'),
      b: at('y'),
    });
    // a's new rows per output row: {0,1}, 2, 3, 4, 5, none.
    expect(counts(r, 'a')).toEqual([36, 0, 0, [1, 3, 6]]);
    // a computes rows {0,1} -> reads input 0..2, then row r reads r-1..r+1: new rows 3, 4, 5, -, -.
    expect(counts(r, 'in@a')).toEqual([36, 36, 0, [1, 3, 6]]);
    expect(counts(r, 'b')).toEqual([36, 0, 36, [1, 1, 6]]);
    expect(counts(r, 'a:weights')).toEqual([10, 10, 0, [1, 1]]);
    expect(r.layerMacs).toEqual({ a: 324, b: 324 });
    expect(r.macs).toBe(648);
    expect(r.dramReads).toBe(56);
    expect(r.dramWrites).toBe(36);
    expect(r.onChipBytes).toBe(18 + 10 + 10 + 18 + 6);
  });

  it('recomputes the overlapping rows when the intermediate is stored where it is filled', () => {
    const r = run(n, ['a', 'b'], row, yxOrder, {
      'in@a': at('root', 'y'),
      'a:weights': at('root'),
      'b:weights': at('root'),
      a: at('y'),
      b: at('y'),
    });
    // a rows per output row: 0..1, 0..2, 1..3, 2..4, 3..5, 4..5 = 16 rows.
    expect(counts(r, 'a')).toEqual([96, 0, 0, [1, 3, 6]]);
    expect(r.layerMacs).toEqual({ a: 96 * 9, b: 324 });
    expect(r.macs).toBe(1188);
    // a's windows need input rows 0..2, 0..3, 0..4, 1..5, 2..5, 3..5: read once, at most 5 rows live.
    expect(counts(r, 'in@a')).toEqual([36, 36, 0, [1, 5, 6]]);
    // Stored per row too: 3 + 4 + 5 + 5 + 4 + 3 rows.
    const s = run(n, ['a', 'b'], row, yxOrder, {
      'in@a': at('y'),
      'a:weights': at('root'),
      'b:weights': at('root'),
      a: at('y'),
      b: at('y'),
    });
    expect(counts(s, 'in@a')).toEqual([144, 144, 0, [1, 5, 6]]);
  });
});

describe('other layer kinds', () => {
  it('pools with stride 2 in ceil mode, the last window clipped', () => {
    // 1x6x6, 3x3 window, stride 2, ceil: 3x3 output; window rows 0..2, 2..4, 4..5.
    const n = net({ in: { c: 1, h: 6, w: 6 } }, [maxPool('pool', 'in', { kernel: [3, 3], ceilMode: true })]);
    const one = { x: 1, y: 1, zo: 1, zi: 1 };
    const r = run(n, ['pool'], one, yxOrder, { 'in@pool': at('x'), pool: at('x') });
    expect(counts(r, 'in@pool')).toEqual([64, 64, 0, [1, 3, 3]]); // (3 + 3 + 2)^2
    expect(counts(r, 'pool')).toEqual([9, 0, 9, [1, 1, 1]]);
    expect(r.macs).toBe(0);
    expect(r.layerMacs).toEqual({ pool: 0 });
    const s = run(n, ['pool'], one, yxOrder, { 'in@pool': at('root', 'x'), pool: at('x') });
    expect(counts(s, 'in@pool')).toEqual([36, 36, 0, [1, 3, 6]]);
  });

  it('adds a per-channel broadcast input', () => {
    const n = net({ a: { c: 2, h: 3, w: 3 }, b: { c: 2, h: 1, w: 1 } }, [
      { kind: 'eltwise', name: 'add', inputs: ['a', 'b'], post: [], op: 'add' },
    ]);
    const rows = { x: 3, y: 1, zo: 1, zi: 1 };
    const order: [LoopName, LoopName, LoopName, LoopName] = ['zo', 'y', 'x', 'zi'];
    const r = run(n, ['add'], rows, order, { 'a@add': at('y'), 'b@add': at('y'), add: at('y') });
    expect(counts(r, 'a@add')).toEqual([18, 18, 0, [1, 1, 3]]);
    expect(counts(r, 'b@add')).toEqual([6, 6, 0, [1, 1, 1]]); // once per (channel, row)
    expect(counts(r, 'add')).toEqual([18, 0, 18, [1, 1, 3]]);
    const s = run(n, ['add'], rows, order, { 'a@add': at('y'), 'b@add': at('root', 'y'), add: at('y') });
    expect(counts(s, 'b@add')).toEqual([2, 2, 0, [1, 1, 1]]);
    expect(s.macs).toBe(0);
  });

  it('concatenates as the last layer, each channel tile reading only its inputs', () => {
    // (with a ReLU folded into it, a concat is computed, not a view)
    const n = net({ p: { c: 1, h: 2, w: 2 }, q: { c: 2, h: 2, w: 2 } }, [
      { kind: 'concat', name: 'cat', inputs: ['p', 'q'], post: [{ op: 'relu' }] },
    ]);
    // Channel tiles [0,2) and [2,3): the first reads p[0] and q[0], the second q[1].
    const r = run(n, ['cat'], { x: 2, y: 2, zo: 2, zi: 1 }, ['zo', 'y', 'x', 'zi'], {
      'p@cat': at('zo'),
      'q@cat': at('zo'),
      cat: at('zo'),
    });
    expect(counts(r, 'p@cat')).toEqual([4, 4, 0, [1, 2, 2]]);
    expect(counts(r, 'q@cat')).toEqual([8, 8, 0, [1, 2, 2]]);
    expect(counts(r, 'cat')).toEqual([12, 0, 12, [2, 2, 2]]);
    expect(r.dramReads).toBe(12);
  });

  it('reads the scale and shift of an affine layer per channel demanded, and no MACs', () => {
    // 3x2x2 input, channel tiles of 2 ([0,2), [2,3)), the scale and shift filled per channel tile: 2 per
    // channel; filled per row tile (2 rows), each channel tile's twice.
    const n = net({ in: { c: 3, h: 2, w: 2 } }, [{ kind: 'affine', name: 'bn', inputs: ['in'], post: [] }]);
    const tile = { x: 2, y: 1, zo: 2, zi: 1 };
    const order: [LoopName, LoopName, LoopName, LoopName] = ['zo', 'y', 'x', 'zi'];
    const r = run(n, ['bn'], tile, order, { 'in@bn': at('y'), 'bn:weights': at('zo'), bn: at('y') }, 2);
    expect(counts(r, 'in@bn')).toEqual([12, 12, 0, [2, 1, 2]]);
    expect(counts(r, 'bn:weights')).toEqual([6, 6, 0, [2, 1]]);
    expect(buffer(r, 'bn:weights').bytes).toBe(2 * 2 * 2); // 2 channels x (scale + shift) x 2 bytes
    expect(counts(r, 'bn')).toEqual([12, 0, 12, [2, 1, 2]]);
    expect(r.macs).toBe(0);
    const s = run(n, ['bn'], tile, order, { 'in@bn': at('y'), 'bn:weights': at('y'), bn: at('y') });
    expect(counts(s, 'bn:weights')).toEqual([12, 12, 0, [2, 1]]);
  });

  it('fuses an affine layer after a concat and before a 1x1 convolution, computing it once', () => {
    const n = net({ p: { c: 1, h: 3, w: 3 }, q: { c: 2, h: 3, w: 3 } }, [
      { kind: 'concat', name: 'cat', inputs: ['p', 'q'], post: [] },
      { kind: 'affine', name: 'bn', inputs: ['cat'], post: [{ op: 'relu' }] },
      conv('c', 'bn', 2, 1),
    ]);
    // one row at a time; the intermediates filled per row: each element of cat and bn computed once
    const r = run(n, ['cat', 'bn', 'c'], { x: 3, y: 1, zo: 2, zi: 3 }, yxOrder, {
      'p@cat': at('y'),
      'q@cat': at('y'),
      cat: at('y'),
      'bn:weights': at('root'),
      bn: at('y'),
      'c:weights': at('root'),
      c: at('y'),
    });
    expect(counts(r, 'cat')).toEqual([27, 0, 0, [3, 1, 3]]);
    expect(counts(r, 'bn')).toEqual([27, 0, 0, [3, 1, 3]]);
    expect(counts(r, 'bn:weights')).toEqual([6, 6, 0, [3, 1]]);
    expect(counts(r, 'c')).toEqual([18, 0, 18, [2, 1, 3]]);
    expect(r.layerMacs).toEqual({ cat: 0, bn: 0, c: 18 * 3 });
  });

  it('runs a depthwise convolution channel by channel', () => {
    const n = net({ in: { c: 2, h: 4, w: 4 } }, [conv('dw', 'in', 2, 3, { pads: pad1, groups: 2 })]);
    const r = run(n, ['dw'], { x: 4, y: 4, zo: 1, zi: 1 }, ['zo', 'y', 'x', 'zi'], {
      'in@dw': at('zo'),
      'dw:weights': at('zo'),
      dw: at('zo'),
    });
    expect(counts(r, 'in@dw')).toEqual([32, 32, 0, [1, 4, 4]]);
    expect(counts(r, 'dw:weights')).toEqual([20, 20, 0, [1, 1]]);
    expect(buffer(r, 'dw:weights').bytes).toBe(10);
    expect(counts(r, 'dw')).toEqual([32, 0, 32, [1, 4, 4]]);
    expect(r.macs).toBe(32 * 9);
  });

  it('reads every channel for a channel shuffle', () => {
    // 4 channels, 2 groups: a shuffled channel range is scattered, so the whole column is read.
    const n = net({ in: { c: 4, h: 1, w: 2 } }, [
      { kind: 'shuffle', name: 'sh', inputs: ['in'], post: [], groups: 2 },
    ]);
    const r = run(n, ['sh'], { x: 2, y: 1, zo: 2, zi: 1 }, ['zo', 'y', 'x', 'zi'], {
      'in@sh': at('zo'),
      sh: at('zo'),
    });
    expect(counts(r, 'in@sh')).toEqual([16, 16, 0, [4, 1, 2]]);
    const one = run(n, ['sh'], { x: 2, y: 1, zo: 1, zi: 1 }, ['zo', 'y', 'x', 'zi'], {
      'in@sh': at('zo'),
      sh: at('zo'),
    });
    expect(counts(one, 'in@sh')).toEqual([32, 32, 0, [4, 1, 2]]);
  });

  it('reads the channel neighbourhood of a local response normalisation and all channels of a softmax', () => {
    const n = net({ in: { c: 4, h: 1, w: 1 } }, [
      { kind: 'lrn', name: 'lrn', inputs: ['in'], post: [], size: 3, alpha: 1e-4, beta: 0.75, k: 1 },
      { kind: 'softmax', name: 'sm', inputs: ['lrn'], post: [] },
      { kind: 'slice', name: 'sl', inputs: ['sm'], post: [{ op: 'relu' }], start: 1, end: 3 },
    ]);
    const one = { x: 1, y: 1, zo: 1, zi: 1 };
    const order: [LoopName, LoopName, LoopName, LoopName] = ['zo', 'y', 'x', 'zi'];
    // Channels 0..1, 0..2, 1..3, 2..3.
    const lrn = run(n, ['lrn'], one, order, { 'in@lrn': at('zo'), lrn: at('zo') });
    expect(counts(lrn, 'in@lrn')).toEqual([10, 10, 0, [3, 1, 1]]);
    const sm = run(n, ['sm'], one, order, { 'lrn@sm': at('zo'), sm: at('zo') });
    expect(counts(sm, 'lrn@sm')).toEqual([16, 16, 0, [4, 1, 1]]);
    const sl = run(n, ['sl'], one, order, { 'sm@sl': at('root', 'zo'), sl: at('zo') });
    expect(counts(sl, 'sm@sl')).toEqual([2, 2, 0, [1, 1, 1]]);
    // Fused: the slice's channel c needs all of sm at once, sm needs lrn channels 0..3 and those need
    // the input channels 0..3; each intermediate is stored at root, so it is computed once.
    const fused = run(n, ['lrn', 'sm', 'sl'], one, order, {
      'in@lrn': at('root'),
      lrn: at('root'),
      sm: at('root', 'zo'),
      sl: at('zo'),
    });
    expect(counts(fused, 'sm')).toEqual([2, 0, 0, [1, 1, 1]]);
    expect(counts(fused, 'lrn')).toEqual([4, 0, 0, [4, 1, 1]]);
    expect(counts(fused, 'in@lrn')).toEqual([4, 4, 0, [4, 1, 1]]);
  });
});

describe('schedule checks', () => {
  it('rejects an invalid schedule with an InputError before simulating', () => {
    const n = net({ in: { c: 1, h: 6, w: 6 } }, [conv('conv', 'in', 2, 3, { pads: pad1 })]);
    const levels = { 'in@conv': at('root'), 'conv:weights': at('root'), conv: at('root') };
    expect(() => run(n, ['conv'], { x: 0, y: 6, zo: 2, zi: 1 }, yxOrder, levels)).toThrow(InputError);
    // Stored inside its fill level.
    expect(() =>
      run(n, ['conv'], { x: 6, y: 6, zo: 2, zi: 1 }, yxOrder, { ...levels, 'in@conv': at('x', 'y') }),
    ).toThrow(InputError);
  });
});
