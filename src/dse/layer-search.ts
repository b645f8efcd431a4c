// The exact Pareto front of a single-layer segment over tile sizes, loop orders and buffer levels.
//
// For one order the loops are placed outermost first. Each buffer is, at every position, above its
// store level, between store and fill (reuse), or below fill, and only moves forward through those
// phases; its DRAM count and storage are products of one factor per loop that depends only on that
// loop's tile size and phase (factors.ts). A partial choice (tiles and phases of the first k loops) is
// a vector of per-buffer partial products; later loops multiply every component by non-negative
// factors that depend only on later choices and the phases reached, so among partial choices with the
// same phases one that is no better in any component can be dropped without losing a front point.

import type { ElementBytes, Level, SegmentSchedule, TileSizes } from '../model/schedule.js';
import { levelAt, loopNames } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { DimFactors, SegmentFactors } from './factors.js';
import { segmentFactors } from './factors.js';
import type { Point } from './pareto.js';
import { paretoFront } from './pareto.js';
import type { SpaceName } from './space.js';
import { loopOrders, tileCandidates } from './space.js';

/** Phases of a buffer relative to the loop being placed. */
const ABOVE = 0;
const REUSE = 1;
const REUSE_BACK = 2; // reuse, and an earlier reuse loop already brings data back (bands kept whole)
const BELOW = 3;

interface Candidate {
  t: number;
  trips: number;
  /** Per buffer, the summary of its dimension following this loop (undefined: none follows it). */
  dims: (DimFactors | undefined)[];
}

interface Partial {
  phases: number[];
  /** Per buffer: DRAM accesses so far, product of all extents, product of extents but the weights' input channels. */
  acc: number[];
  ext: number[];
  extOut: number[];
  parent: Partial | undefined;
  loop: number;
  tile: number;
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
    return sizes.map((t) => {
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

function dominates(a: Partial, b: Partial): boolean {
  for (let i = 0; i < a.acc.length; i++)
    if (a.acc[i]! > b.acc[i]! || a.ext[i]! > b.ext[i]! || a.extOut[i]! > b.extOut[i]!) return false;
  return true;
}

/** Keeps the partial choices no other with the same phases dominates (first come wins ties). */
function prune(states: Partial[]): Partial[] {
  // In ascending order of the component sum, a state can only be dominated by one already kept.
  const weight = (s: Partial) => {
    let w = 0;
    for (let i = 0; i < s.acc.length; i++) w += s.acc[i]! + s.ext[i]! + s.extOut[i]!;
    return w;
  };
  const sorted = states.map((s, i) => ({ s, w: weight(s), i })).sort((a, b) => a.w - b.w || a.i - b.i);
  const groups = new Map<string, Partial[]>();
  const kept: Partial[] = [];
  for (const { s } of sorted) {
    const key = s.phases.join('');
    let g = groups.get(key);
    if (g === undefined) {
      g = [];
      groups.set(key, g);
    }
    if (g.some((o) => dominates(o, s))) continue;
    g.push(s);
    kept.push(s);
  }
  return kept;
}

export interface LayerFrontOptions {
  space: SpaceName;
  elementBytes: ElementBytes;
}

/** The Pareto front of a single-layer segment, each point with its schedule. */
export function singleLayerFront(seg: Segment, options: LayerFrontOptions): Point<SegmentSchedule>[] {
  if (seg.layers.length !== 1) throw new Error('internal: singleLayerFront takes single-layer segments');
  const { shapes, constants } = bufferShapes(seg);
  const cands = candidates(seg, options.space, shapes);
  const nb = shapes.length;
  // Dimensions that follow no loop contribute constant factors.
  const baseAcc = shapes.map((s, bi) =>
    constants.buffers[bi]!.dims.reduce((p, d, k) => (s.dimOf.includes(k) ? p : p * d.hullCount), 1),
  );
  const baseExt = shapes.map((s, bi) =>
    constants.buffers[bi]!.dims.reduce((p, d, k) => (s.dimOf.includes(k) ? p : p * d.hullSpan), 1),
  );
  const macs = Object.values(constants.layerMacs).reduce((a, b) => a + b, 0);
  const points: Point<Partial>[] = [];
  let front: Point<Partial>[] = [];
  const totals = (st: Partial, width: number) => {
    let bytes = 0;
    let accesses = 0;
    shapes.forEach((sh, bi) => {
      const elements = sh.weights
        ? st.ext[bi]! * sh.kernelArea + (sh.bias ? st.extOut[bi]! : 0)
        : st.ext[bi]!;
      bytes += elements * width;
      accesses += st.acc[bi]!;
    });
    return { bytes, accesses };
  };
  // Lower bounds of what each later loop can multiply a buffer's numbers by, whatever its tile and phase.
  const least = cands.map((cs) =>
    shapes.map((_, bi) => {
      let acc = Number.POSITIVE_INFINITY;
      let ext = Number.POSITIVE_INFINITY;
      for (const c of cs) {
        const d = c.dims[bi];
        acc = Math.min(acc, d ? Math.min(d.sumAll, d.sumFresh, d.hullCount) : 1);
        ext = Math.min(ext, d ? Math.min(d.maxSpan, d.hullSpan) : 1);
      }
      return { acc, ext };
    }),
  );
  /** Whether even the cheapest completion of a partial choice is dominated by a point already found. */
  const boundedOut = (st: Partial, remaining: number[]) => {
    if (front.length === 0) return false;
    const lb: Partial = { ...st, acc: [...st.acc], ext: [...st.ext], extOut: [...st.extOut] };
    for (const li of remaining)
      for (let bi = 0; bi < nb; bi++) {
        const m = least[li]![bi]!;
        lb.acc[bi]! *= m.acc;
        lb.ext[bi]! *= m.ext;
        if (!(shapes[bi]!.weights && li === 3)) lb.extOut[bi]! *= m.ext;
      }
    const t = totals(lb, options.elementBytes);
    return front.some((p) => p.bytes <= t.bytes && p.accesses <= t.accesses);
  };
  for (const order of loopOrders()) {
    const orderIdx = order.map((l) => loopNames.indexOf(l));
    let states: Partial[] = [
      {
        phases: shapes.map(() => ABOVE),
        acc: [...baseAcc],
        ext: [...baseExt],
        extOut: [...baseExt],
        parent: undefined,
        loop: -1,
        tile: 0,
      },
    ];
    for (let pos = 0; pos < 4; pos++) {
      const li = orderIdx[pos]!;
      const last = pos === 3;
      const remaining = orderIdx.slice(pos + 1);
      const next: Partial[] = [];
      for (const s of states)
        for (const c of cands[li]!) {
          // every forward move of every buffer's phase
          const choices: number[][] = [[]];
          for (let bi = 0; bi < nb; bi++) {
            const p = s.phases[bi]!;
            // A loop of one iteration is the same in every phase: move on at the next loop instead.
            const allowed =
              c.trips === 1 ? [p] : p === ABOVE ? [ABOVE, REUSE, BELOW] : p === BELOW ? [BELOW] : [p, BELOW];
            const grown: number[][] = [];
            for (const prefix of choices) for (const a of allowed) grown.push([...prefix, a]);
            choices.splice(0, choices.length, ...grown);
          }
          for (const ph of choices) {
            const acc = [...s.acc];
            const ext = [...s.ext];
            const extOut = [...s.extOut];
            const phases = [...ph];
            for (let bi = 0; bi < nb; bi++) {
              const shape = shapes[bi]!;
              const d = c.dims[bi];
              const p = ph[bi]!;
              const inReuse = p === REUSE || p === REUSE_BACK;
              if (p === ABOVE)
                acc[bi]! *= d ? d.sumAll : shape.output && li === 3 ? 2 * c.trips - 1 : c.trips;
              else if (inReuse) acc[bi]! *= d ? d.sumFresh : 1;
              else acc[bi]! *= d ? d.hullCount : 1;
              if (d) {
                const e = p === ABOVE || p === REUSE ? d.maxSpan : d.hullSpan;
                ext[bi]! *= e;
                if (!(shape.weights && li === 3)) extOut[bi]! *= e;
              }
              if (p === REUSE && c.trips > 1 && (!d || d.overlaps)) phases[bi] = REUSE_BACK;
            }
            const state: Partial = { phases, acc, ext, extOut, parent: s, loop: li, tile: c.t };
            if (last) {
              const t = totals(state, options.elementBytes);
              points.push({ bytes: t.bytes, accesses: t.accesses, macs, item: state });
            } else if (!boundedOut(state, remaining)) next.push(state);
          }
        }
      if (last) {
        front = paretoFront([...front, ...points.splice(0)]);
      } else states = prune(next);
    }
  }
  return front.map((p) => ({ ...p, item: scheduleOf(seg, p.item, nb) }));
}

/** Rebuilds the schedule of a complete choice: tiles per loop and each buffer's store and fill. */
function scheduleOf(seg: Segment, end: Partial, nb: number): SegmentSchedule {
  const chain: Partial[] = [];
  for (let s: Partial | undefined = end; s?.parent; s = s.parent) chain.unshift(s);
  const order = chain.map((s) => loopNames[s.loop]!) as SegmentSchedule['order'];
  const tile = { ...seg.dims };
  for (const s of chain) tile[loopNames[s.loop]!] = s.tile;
  const buffers: SegmentSchedule['buffers'] = {};
  for (let bi = 0; bi < nb; bi++) {
    // store = loops placed while above; fill = loops placed before going below
    let store = 0;
    let fill = 0;
    chain.forEach((s, k) => {
      const p = s.phases[bi]!;
      if (p === ABOVE) store = k + 1;
      if (p !== BELOW) fill = k + 1;
    });
    const id = seg.buffers[bi]!.id;
    buffers[id] = { store: levelAt(order, store) as Level, fill: levelAt(order, fill) as Level };
  }
  return {
    layers: seg.layers.map((l) => l.name),
    tile,
    order: [...order] as SegmentSchedule['order'],
    buffers,
  };
}
