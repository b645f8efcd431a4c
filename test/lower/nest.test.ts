import { describe, expect, it } from 'vitest';
import type { NestBufferInput, NestInput } from '../../src/lower/nest.js';
import { lowerSegment } from '../../src/lower/nest.js';
import type { Level } from '../../src/model/schedule.js';
import type { BufferRole } from '../../src/model/segment.js';

// A DAG segment: in 2x8x8 -> a (conv 3x3, 2 channels) -> b (conv 1x1, 2 channels) -> s = a + b, in y
// tiles of 4 rows (2 tiles); a is read by b and by s. The numbers of the buffers are arbitrary: the
// lowering only carries them.
const buffer = (
  id: string,
  role: BufferRole,
  readers: string[],
  [store, fill]: [Level, Level],
  slots: number,
): NestBufferInput => ({
  id,
  role,
  readers,
  store,
  fill,
  extents: [slots],
  slots,
  bytes: slots * 4,
  filled: 1,
  dramReads: 2,
  dramWrites: 3,
});

const input = (warmup?: NestInput['warmup']): NestInput => ({
  layers: ['a', 'b', 's'],
  dims: { x: 8, y: 8, zo: 2, zi: 1 },
  tile: { x: 8, y: 4, zo: 2, zi: 1 },
  order: ['y', 'x', 'zo', 'zi'],
  ...(warmup ? { warmup } : {}),
  buffers: [
    buffer('in@a', 'input', ['a'], ['root', 'y'], 100),
    buffer('a:weights', 'weights', ['a'], ['root', 'root'], 38),
    buffer('b:weights', 'weights', ['b'], ['root', 'root'], 6),
    buffer('a', 'intermediate', ['b', 's'], ['root', 'y'], 96),
    buffer('b', 'intermediate', ['s'], ['y', 'y'], 64),
    buffer('s', 'output', [], ['y', 'y'], 64),
  ],
});

describe('lowerSegment', () => {
  it('gives the loops, the actions per level body, and each buffer its demand, box and fills per store', () => {
    const n = lowerSegment(input());
    expect(n.last).toBe('s');
    expect(n.loops).toEqual([
      { dim: 'y', tile: 4, extent: 8, tiles: 2, warmup: 0, start: 0 },
      { dim: 'x', tile: 8, extent: 8, tiles: 1, warmup: 0, start: 0 },
      { dim: 'zo', tile: 2, extent: 2, tiles: 1, warmup: 0, start: 0 },
      { dim: 'zi', tile: 1, extent: 1, tiles: 1, warmup: 0, start: 0 },
    ]);
    expect(n.levels).toEqual([
      { stores: [0, 1, 2, 3], fills: [1, 2] },
      { stores: [4, 5], fills: [0, 3, 4, 5] },
      { stores: [], fills: [] },
      { stores: [], fills: [] },
      { stores: [], fills: [] },
    ]);
    // in@a: its one reader a computes at in@a's own fill (online); a, read by two layers, and the
    // weights, filled above their readers' compute level, need the planning pass; s's reads are b's.
    expect(
      n.buffers.map((b) => [b.id, b.storeDepth, b.fillDepth, b.demand, b.offset, b.fillsPerStore]),
    ).toEqual([
      ['in@a', 0, 1, 'online', 0, 2],
      ['a:weights', 0, 0, 'planned', 100, 1],
      ['b:weights', 0, 0, 'planned', 138, 1],
      ['a', 0, 1, 'planned', 144, 2],
      ['b', 1, 1, 'last', 240, 1],
      ['s', 1, 1, 'last', 304, 1],
    ]);
    expect(n.slots).toBe(368);
    // what the lowering does not compute, it carries unchanged
    expect(n.buffers[3]).toMatchObject({ extents: [96], bytes: 384, filled: 1, dramReads: 2, dramWrites: 3 });
  });

  it('starts a loop with warm-up at its first warm-up tile, and counts those iterations as fills', () => {
    const n = lowerSegment(input({ y: 1 }));
    expect(n.loops[0]).toEqual({ dim: 'y', tile: 4, extent: 8, tiles: 2, warmup: 1, start: -4 });
    expect(n.buffers.map((b) => b.fillsPerStore)).toEqual([3, 1, 1, 3, 1, 1]);
  });

  it('uses nothing outside its own body (the report runs it in the page)', () => {
    const standalone = new Function(`return ${lowerSegment.toString()}`)() as typeof lowerSegment;
    expect(standalone(input({ y: 1 }))).toEqual(lowerSegment(input({ y: 1 })));
  });
});
