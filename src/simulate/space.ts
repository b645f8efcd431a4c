// The elements a buffer can hold, numbered so that sets of them are plain Set<number>, and boxes over them.

import type { Shape, WeightsShape } from '../ir/network.js';
import type { Coords } from './reads.js';

export interface Space {
  /** Coordinate d ranges over [-offsets[d], sizes[d] - offsets[d]). */
  sizes: number[];
  offsets: number[];
  /** False for coordinates inside the box that name no element (the bias sits at ky = kx = 0 only). */
  exists: (coords: Coords) => boolean;
  /** Coordinates whose spans are the storage extents. */
  extentDims: number;
  /** Whether an element counts for the storage extents (weights: real input channels only). */
  counts: (coords: Coords) => boolean;
}

export function activationSpace(shape: Shape): Space {
  return {
    sizes: [shape.c, shape.h, shape.w],
    offsets: [0, 0, 0],
    exists: () => true,
    extentDims: 3,
    counts: () => true,
  };
}

export function weightSpace(w: WeightsShape): Space {
  const [kh, kw] = w.kernel;
  return {
    sizes: [w.outChannels, w.perGroupIn + 1, kh, kw],
    offsets: [0, 1, 0, 0],
    exists: ([, i, ky, kx]) => i! >= 0 || (ky === 0 && kx === 0),
    extentDims: 2,
    counts: ([, i]) => i! >= 0,
  };
}

export function encode(space: Space, coords: Coords): number {
  let key = 0;
  coords.forEach((v, d) => {
    key = key * space.sizes[d]! + v + space.offsets[d]!;
  });
  return key;
}

export function decode(space: Space, key: number): Coords {
  const coords: Coords = [];
  for (let d = space.sizes.length - 1; d >= 0; d--) {
    const size = space.sizes[d]!;
    coords[d] = (key % size) - space.offsets[d]!;
    key = Math.floor(key / size);
  }
  return coords;
}

/** A per-dimension hull, bounds inclusive. */
export interface Box {
  lo: number[];
  hi: number[];
}

export function extendBox(box: Box | undefined, coords: Coords): Box {
  if (!box) return { lo: [...coords], hi: [...coords] };
  coords.forEach((v, d) => {
    box.lo[d] = Math.min(box.lo[d]!, v);
    box.hi[d] = Math.max(box.hi[d]!, v);
  });
  return box;
}

/** Keys of the existing elements of a box. */
export function boxElements(space: Space, box: Box): number[] {
  const keys: number[] = [];
  const coords: Coords = [];
  const walk = (d: number): void => {
    if (d === box.lo.length) {
      if (space.exists(coords)) keys.push(encode(space, coords));
      return;
    }
    for (let v = box.lo[d]!; v <= box.hi[d]!; v++) {
      coords[d] = v;
      walk(d + 1);
    }
  };
  walk(0);
  return keys;
}
