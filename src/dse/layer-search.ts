// The exact Pareto front of a single-layer segment over tile sizes, loop orders and buffer levels.
//
// For one order the loops are placed outermost first, choosing each loop's tile size. Each buffer is,
// at every position, above its store level, between store and fill (reuse), or below fill, moving only
// forward through those phases; its DRAM count and storage are products of one factor per loop that
// depends only on that loop's tile size and the buffer's phase there (factors.ts). Given the tiles and
// the order, buffers choose their levels independently, so a tile prefix carries, per buffer and phase,
// the partial products that are not dominated (later loops multiply them by the same factors). A
// prefix whose best possible completion is dominated by a point already found is cut off.

import type { ElementBytes, Level, SegmentSchedule, TileSizes } from '../model/schedule.js';
import { levelAt, loopNames } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { DimFactors, SegmentFactors } from './factors.js';
import { accessFactor, bringsBack, extentOf, segmentFactors } from './factors.js';
import type { Point } from './pareto.js';
import { paretoFront } from './pareto.js';
import type { SpaceName } from './space.js';
import { loopOrders, tileCandidates } from './space.js';

/** Phases of a buffer relative to the loop being placed. */
const ABOVE = 0;
const REUSE = 1;
const REUSE_BACK = 2; // reuse, and an earlier reuse loop already brings data back (bands kept whole)
const BELOW = 3;
/** The phases a buffer can take at the next loop, from each phase (they only move forward). */
const MOVES = [[ABOVE, REUSE, BELOW], [REUSE, BELOW], [REUSE_BACK, BELOW], [BELOW]];
const STAY = [[ABOVE], [REUSE], [REUSE_BACK], [BELOW]];
/** The paper tool's model fetches a buffer anew at every iteration of its level: store == fill. */
const MOVES_NO_REUSE = [[ABOVE, BELOW], [], [], [BELOW]];

interface Candidate {
  t: number;
  trips: number;
  /** Per buffer, the summary of its dimension following this loop (undefined: none follows it). */
  dims: (DimFactors | undefined)[];
}

/** One way a buffer can have placed the loops so far. */
interface Option {
  phase: number;
  /** DRAM accesses, product of all extents, product of extents but the weights' input channels. */
  acc: number;
  ext: number;
  extOut: number;
  /** Positions (depths) of its store and fill levels so far. */
  store: number;
  fill: number;
}

interface BufferShape {
  weights: boolean;
  output: boolean;
  kernelArea: number;
  bias: boolean;
  /** Index of the dimension following each loop, per loopNames (-1: none). */
  dimOf: number[];
}

/** Per loop, every candidate tile size with the summaries it gives each buffer. */
function candidates(seg: Segment, space: SpaceName, shapes: BufferShape[]): Candidate[][] {
  const whole: TileSizes = { ...seg.dims };
  return loopNames.map((l, li) => {
    let sizes = tileCandidates(seg.dims[l], space);
    const last = seg.last;
    if (l === 'zi' && last.kind === 'conv' && last.groups > 1) sizes = [seg.dims.zi];
    const all = sizes.map((t) => {
      const f = segmentFactors(seg, { ...whole, [l]: t });
      return {
        t,
        trips: f.trips[l],
        dims: f.buffers.map((b, bi) => {
          const k = shapes[bi]!.dimOf[li]!;
          return k < 0 ? undefined : b.dims[k];
        }),
      };
    });
    // A size no better than another in every factor it can contribute, with the same effect on the
    // phases, can never do better: drop it (the first of equals stays; exact whichever pairs are
    // compared)
    // phases). Compared within the same tile count, where nearly all such sizes are.
    const byTrips = new Map<number, number[]>();
    all.forEach((c, i) => {
      byTrips.set(c.trips, [...(byTrips.get(c.trips) ?? []), i]);
    });
    return all.filter(
      (c, i) =>
        !byTrips.get(c.trips)!.some((j) => j !== i && noWorse(all[j]!, c) && (!noWorse(c, all[j]!) || j < i)),
    );
  });
}

/** Whether candidate a contributes no larger factor than b in every role, with the same phase effects. */
function noWorse(a: Candidate, b: Candidate): boolean {
  if (a.trips > b.trips || a.trips > 1 !== b.trips > 1) return false;
  return a.dims.every((da, k) => {
    const db = b.dims[k];
    if (da === undefined || db === undefined) return da === db;
    return (
      da.sumAll <= db.sumAll &&
      da.sumFresh <= db.sumFresh &&
      da.hullCount <= db.hullCount &&
      da.maxSpan <= db.maxSpan &&
      da.hullSpan <= db.hullSpan &&
      da.overlaps === db.overlaps &&
      da.empty === db.empty
    );
  });
}

/** Which dimension of each buffer follows which loop (seen with every loop iterating). */
function bufferShapes(seg: Segment): { shapes: BufferShape[]; constants: SegmentFactors } {
  const ones: TileSizes = { x: 1, y: 1, zo: 1, zi: 1 };
  const f = segmentFactors(seg, ones);
  const shapes = f.buffers.map((b) => ({
    weights: b.buffer.role === 'weights',
    output: b.buffer.role === 'output',
    kernelArea: b.kernelArea,
    bias: b.hasBias,
    dimOf: loopNames.map((l) => b.dims.findIndex((d) => d.loop === l)),
  }));
  return { shapes, constants: f };
}

interface Factor {
  a: number;
  e: number;
}

function factorFront(fs: Factor[]): Factor[] {
  return paretoFront(fs.map((f) => ({ bytes: f.e, accesses: f.a, macs: 0, item: f }))).map((p) => p.item);
}

/** Keeps the options no other in the same phase dominates (no more accesses and no more storage). */
function pruneOptions(options: Option[]): Option[] {
  if (options.length <= 1) return options;
  const kept: Option[] = [];
  const sorted = options.sort((a, b) => a.acc + a.ext + a.extOut - (b.acc + b.ext + b.extOut));
  for (const o of sorted)
    if (!kept.some((k) => k.phase === o.phase && k.acc <= o.acc && k.ext <= o.ext && k.extOut <= o.extOut))
      kept.push(o);
  return kept;
}

export interface LayerFrontOptions {
  space: SpaceName;
  elementBytes: ElementBytes;
}

interface Found {
  order: number[];
  tiles: number[];
  levels: { store: number; fill: number }[];
}

/** The Pareto front of a single-layer segment, each point with its schedule. */
export function singleLayerFront(seg: Segment, options: LayerFrontOptions): Point<SegmentSchedule>[] {
  if (seg.layers.length !== 1) throw new Error('internal: singleLayerFront takes single-layer segments');
  const { shapes, constants } = bufferShapes(seg);
  const cands = candidates(seg, options.space, shapes);
  const width = options.elementBytes;
  const macs = Object.values(constants.layerMacs).reduce((a, b) => a + b, 0);
  // Dimensions that follow no loop contribute constant factors.
  const start = shapes.map((sh, bi): Option => {
    const dims = constants.buffers[bi]!.dims;
    const fixed = dims.filter((_, k) => !sh.dimOf.includes(k));
    const ext = fixed.reduce((p, d) => p * d.hullSpan, 1);
    return {
      phase: ABOVE,
      acc: fixed.reduce((p, d) => p * d.hullCount, 1),
      ext,
      extOut: ext,
      store: 0,
      fill: 0,
    };
  });
  const bytesOf = (bi: number, o: { ext: number; extOut: number }) => {
    const sh = shapes[bi]!;
    return (sh.weights ? o.ext * sh.kernelArea + (sh.bias ? o.extOut : 0) : o.ext) * width;
  };
  let front: Point<Found>[] = [];
  let pending: Point<Found>[] = [];
  /** Whether every completion of a prefix (per buffer options, per phase completions) is dominated. */
  const completionDominated = (opts: Option[][], comp: Factor[][][]) => {
    let sums: { bytes: number; accesses: number }[] = [{ bytes: 0, accesses: 0 }];
    for (let bi = 0; bi < opts.length; bi++) {
      const own: Point<null>[] = [];
      // extOut (weights without their input channels) is not grown: a lower bound either way
      for (const o of opts[bi]!)
        for (const f of comp[bi]![o.phase]!)
          own.push({
            bytes: bytesOf(bi, { ext: o.ext * f.e, extOut: o.extOut }),
            accesses: o.acc * f.a,
            macs: 0,
            item: null,
          });
      const mine = paretoFront(own);
      if (bi === opts.length - 1) {
        // the last buffer: stop at the first combination nothing dominates
        for (const a of sums)
          for (const m of mine) if (!dominated(a.bytes + m.bytes, a.accesses + m.accesses)) return false;
        return true;
      }
      const next: Point<null>[] = [];
      for (const a of sums)
        for (const m of mine)
          next.push({ bytes: a.bytes + m.bytes, accesses: a.accesses + m.accesses, macs: 0, item: null });
      sums = paretoFront(next);
    }
    return true;
  };
  const dominated = (bytes: number, accesses: number) => {
    // front is sorted by bytes, so by accesses descending: the last point within `bytes` is the best
    let lo = 0;
    let hi = front.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (front[mid]!.bytes <= bytes) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && front[lo - 1]!.accesses <= accesses) return true;
    return pending.some((p) => p.bytes <= bytes && p.accesses <= accesses);
  };

  const moves = options.space === 'seed' ? MOVES_NO_REUSE : MOVES;
  /** Appends to `out` every way option `o` of buffer `bi` can continue through loop `li` with size `c`. */
  const extendInto = (out: Option[], o: Option, bi: number, li: number, c: Candidate, pos: number) => {
    const sh = shapes[bi]!;
    const d = c.dims[bi];
    // A loop of one iteration is the same in every phase: phases move on at the next loop instead.
    const allowed = c.trips === 1 ? STAY[o.phase]! : moves[o.phase]!;
    for (const p of allowed) {
      const role = p === ABOVE ? 'above' : p === BELOW ? 'below' : 'reuse';
      let ext = o.ext;
      let extOut = o.extOut;
      if (d) {
        const e = extentOf(d, role, p === REUSE_BACK);
        ext *= e;
        if (!(sh.weights && li === 3)) extOut *= e;
      }
      out.push({
        phase: p === REUSE && bringsBack(d, c.trips) ? REUSE_BACK : p,
        acc: o.acc * accessFactor(d, role, c.trips, sh.output && li === 3),
        ext,
        extOut,
        store: p === ABOVE ? pos + 1 : o.store,
        fill: p === BELOW ? o.fill : pos + 1,
      });
    }
  };
  const extend = (o: Option, bi: number, li: number, c: Candidate, pos: number): Option[] => {
    const out: Option[] = [];
    extendInto(out, o, bi, li, c, pos);
    return out;
  };

  for (const order of loopOrders()) {
    const orderIdx = order.map((l) => loopNames.indexOf(l));
    const tiles: number[] = [];
    // completions[pos][buffer][phase]: the (access, extent) factors the loops from pos on can still
    // multiply a buffer's numbers by, as a Pareto set (fewer of both is better).
    const completions: Factor[][][][] = [];
    completions[4] = shapes.map(() => [0, 1, 2, 3].map(() => [{ a: 1, e: 1 }]));
    for (let pos = 3; pos >= 0; pos--) {
      const li = orderIdx[pos]!;
      completions[pos] = shapes.map((_, bi) =>
        [0, 1, 2, 3].map((phase) => {
          const out: Factor[] = [];
          for (const c of cands[li]!)
            for (const o of extend({ phase, acc: 1, ext: 1, extOut: 1, store: 0, fill: 0 }, bi, li, c, pos))
              for (const rest of completions[pos + 1]![bi]![o.phase]!)
                out.push({ a: o.acc * rest.a, e: o.ext * rest.e });
          return factorFront(out);
        }),
      );
    }
    const walk = (pos: number, opts: Option[][]) => {
      if (pos === 4) {
        // Per buffer its (bytes, accesses) front, then every combination across buffers.
        let combos: Point<{ store: number; fill: number }[]>[] = [{ bytes: 0, accesses: 0, macs, item: [] }];
        opts.forEach((os, bi) => {
          const own = paretoFront(
            os.map((o) => ({ bytes: bytesOf(bi, o), accesses: o.acc, macs: 0, item: o })),
          );
          const next: Point<{ store: number; fill: number }[]>[] = [];
          for (const a of combos)
            for (const b of own)
              next.push({
                bytes: a.bytes + b.bytes,
                accesses: a.accesses + b.accesses,
                macs,
                item: [...a.item, { store: b.item.store, fill: b.item.fill }],
              });
          combos = paretoFront(next);
        });
        for (const p of combos)
          if (!dominated(p.bytes, p.accesses))
            pending.push({ ...p, item: { order: orderIdx, tiles: [...tiles], levels: p.item } });
        if (pending.length > 32) {
          front = paretoFront([...front, ...pending]);
          pending = [];
        }
        return;
      }
      const li = orderIdx[pos]!;
      for (const c of cands[li]!) {
        const next = opts.map((os, bi) => {
          const out: Option[] = [];
          for (const o of os) extendInto(out, o, bi, li, c, pos);
          return pruneOptions(out);
        });
        // Cut the prefix if every way of completing it is dominated by a point already found.
        if (
          front.length + pending.length > 0 &&
          pos < 3 &&
          completionDominated(next, completions[pos + 1]!)
        ) {
          continue;
        }
        tiles[li] = c.t;
        walk(pos + 1, next);
      }
    };
    walk(
      0,
      start.map((o) => [o]),
    );
  }
  front = paretoFront([...front, ...pending]);
  return front.map((p) => ({ ...p, item: scheduleOf(seg, p.item) }));
}

function scheduleOf(seg: Segment, f: Found): SegmentSchedule {
  const order = f.order.map((li) => loopNames[li]!) as SegmentSchedule['order'];
  const tile = { ...seg.dims };
  loopNames.forEach((l, li) => {
    tile[l] = f.tiles[li]!;
  });
  const buffers: SegmentSchedule['buffers'] = {};
  seg.buffers.forEach((b, bi) => {
    const lv = f.levels[bi]!;
    buffers[b.id] = { store: levelAt(order, lv.store) as Level, fill: levelAt(order, lv.fill) as Level };
  });
  return { layers: seg.layers.map((l) => l.name), tile, order, buffers };
}
