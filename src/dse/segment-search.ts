// The exact Pareto front of a segment (one layer or a fused chain) over tile sizes, loop orders and
// buffer levels.
//
// Per loop order and per placement of the intermediates' store and fill levels (a *pattern*), the loops
// are placed outermost first, choosing each loop's tile size. Every buffer is, at each position, above
// its store level, between store and fill (reuse), or below fill, moving only forward; its DRAM count
// and storage are products of one factor per loop that depends on that loop's tile size, its own phase
// and, for the producers inside a fused segment, the phases of the intermediates between it and the
// last layer (segment-factors.ts). With the pattern fixed those are known, so the other buffers choose
// their levels independently: a tile prefix carries, per buffer and phase, the partial products that
// are not dominated (later loops multiply them by the same factors). A prefix whose completions are
// all dominated by points already found is cut off. Intermediates move no DRAM data: they cost storage,
// and recomputation (MACs, the tie-break).

import type { ElementBytes, Level, SegmentSchedule } from '../model/schedule.js';
import { levelAt, loopNames } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { Point } from './pareto.js';
import { paretoFront } from './pareto.js';
import type { BufferInfo, Candidate, LoopEntry, SegmentTables } from './segment-factors.js';
import { contextOf, segmentTables } from './segment-factors.js';
import type { SpaceName } from './space.js';
import { loopOrders } from './space.js';

/** Phases of a buffer at the loop being placed. */
const ABOVE = 0;
const REUSE = 1;
const REUSE_BACK = 2; // reuse, and an earlier reuse loop brings data back (bands below are kept whole)
const BELOW = 3;
const ROLE = [0, 1, 1, 2];
/** The phases a buffer can take at the next loop, from each phase (they only move forward). */
const MOVES = [[ABOVE, REUSE, BELOW], [REUSE, BELOW], [REUSE_BACK, BELOW], [BELOW]];
/** A loop of one iteration is the same in every phase: phases move on at the next loop instead. */
const STAY = [[ABOVE], [REUSE], [REUSE_BACK], [BELOW]];
/** The paper tool's model fetches a buffer anew at every iteration of its level: store == fill. */
const MOVES_NO_REUSE = [[ABOVE, BELOW], [], [], [BELOW]];

/** One way a buffer can have placed the loops so far. */
interface Option {
  phase: number;
  /** DRAM accesses (elements computed, for an intermediate), product of all extents, product of extents but the weights' input channels. */
  acc: number;
  ext: number;
  extOut: number;
  /** Depths of its store and fill levels so far. */
  store: number;
  fill: number;
}

interface Factor {
  a: number;
  e: number;
}

export interface SegmentFrontOptions {
  space: SpaceName;
  elementBytes: ElementBytes;
  /**
   * Points (a Pareto front, fewest bytes first) that make a schedule useless: for a fused chain, what
   * running it as smaller segments achieves (largest segment's bytes, summed accesses). A network
   * schedule using a fused point such a point dominates does no better than one using the split, so
   * the network front stays exact; the segment's own front then lacks those points.
   */
  bound?: { bytes: number; accesses: number }[];
}

/** How much work a search did: partial tilings extended (with every buffer's options), and complete ones costed. */
export interface SearchStats {
  prefixes: number;
  tilings: number;
}

interface Found {
  order: number[];
  tiles: number[];
  levels: { store: number; fill: number }[];
}

/**
 * Whether candidate a contributes no larger factor than b for any buffer, context and role (or only the
 * entries `slots` lists per buffer), with the same phase effects.
 */
function noWorse(a: Candidate, b: Candidate, buffers: BufferInfo[], slots?: number[][]): boolean {
  if (a.trips > b.trips || a.trips > 1 !== b.trips > 1) return false;
  return a.entries.every((es, bi) =>
    (slots?.[bi] ?? es.map((_, k) => k)).every((k) => {
      const ea = es[k];
      const eb = b.entries[bi]![k];
      if (ea === undefined || eb === undefined) return ea === eb;
      return (
        (buffers[bi]!.role === 'intermediate' ? ea.filled <= eb.filled : ea.accesses <= eb.accesses) &&
        ea.maxSpan <= eb.maxSpan &&
        ea.hullSpan <= eb.hullSpan &&
        ea.back === eb.back &&
        ea.empty === eb.empty
      );
    }),
  );
}

/** Drops tile sizes another size beats or equals in every entry compared (the first of equals stays). */
export function pruneCandidates(cands: Candidate[], buffers: BufferInfo[], slots?: number[][]): Candidate[] {
  return cands.filter(
    (c, i) =>
      !cands.some(
        (d, j) => j !== i && noWorse(d, c, buffers, slots) && (!noWorse(c, d, buffers, slots) || j < i),
      ),
  );
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

function factorFront(fs: Factor[]): Factor[] {
  return paretoFront(fs.map((f) => ({ bytes: f.e, accesses: f.a, macs: 0, item: f }))).map((p) => p.item);
}

/** Store and fill depths of every intermediate (consumers' fills at or below their producers'), per order. */
function patterns(tables: SegmentTables): { store: number; fill: number }[][] {
  const interm = tables.buffers.map((b, i) => (b.role === 'intermediate' ? i : -1)).filter((i) => i >= 0);
  const out: { store: number; fill: number }[][] = [];
  const levels: { store: number; fill: number }[] = tables.buffers.map(() => ({ store: 0, fill: 0 }));
  // readers first: intermediates are listed producers first
  const todo = [...interm].reverse();
  const rec = (k: number) => {
    if (k === todo.length) {
      out.push(levels.map((l) => ({ ...l })));
      return;
    }
    const t = todo[k]!;
    const reader = tables.buffers[t]!.reader;
    const max = reader < 0 ? 4 : levels[reader]!.fill;
    for (let fill = 0; fill <= max; fill++)
      for (let store = 0; store <= fill; store++) {
        levels[t] = { store, fill };
        rec(k + 1);
      }
  };
  rec(0);
  return out;
}

/** The Pareto front of a segment, each point with its schedule. */
export function segmentFront(
  seg: Segment,
  options: SegmentFrontOptions,
  stats: SearchStats = { prefixes: 0, tilings: 0 },
): Point<SegmentSchedule>[] {
  const tables = segmentTables(seg, options.space);
  const buffers = tables.buffers;
  const allCands = tables.candidates.map((cs) => pruneCandidates(cs, buffers));
  const width = options.elementBytes;
  const isInterm = buffers.map((b) => b.role === 'intermediate');
  const start = buffers.map(
    (b): Option => ({
      phase: ABOVE,
      acc: b.fixedFilled,
      ext: b.fixedExtents,
      extOut: b.fixedExtentsOut,
      store: 0,
      fill: 0,
    }),
  );
  const bytesOf = (bi: number, o: { ext: number; extOut: number }) => {
    const b = buffers[bi]!;
    return (b.role === 'weights' ? o.ext * b.kernelArea + (b.bias ? o.extOut : 0) : o.ext) * width;
  };
  const macsOf = (levels: Option[]) =>
    levels.reduce(
      (m, o, bi) => m + (isInterm[bi] ? o.acc * buffers[bi]!.macsPerElement : 0),
      tables.lastMacs,
    );
  let front: Point<Found>[] = [];
  let pending: Point<Found>[] = [];
  const bound = options.bound ?? [];
  /** Whether a point of a Pareto front sorted by bytes (so by accesses descending) dominates (bytes, accesses). */
  const frontDominates = (f: { bytes: number; accesses: number }[], bytes: number, accesses: number) => {
    // the last point within `bytes` has the fewest accesses of those
    let lo = 0;
    let hi = f.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f[mid]!.bytes <= bytes) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && f[lo - 1]!.accesses <= accesses;
  };
  const dominated = (bytes: number, accesses: number) =>
    frontDominates(front, bytes, accesses) ||
    frontDominates(bound, bytes, accesses) ||
    pending.some((p) => p.bytes <= bytes && p.accesses <= accesses);
  /** Whether every completion of a prefix (per buffer options, per phase completions) is dominated. */
  const completionDominated = (opts: Option[][], comp: Factor[][][]) => {
    // Quick answers. Every completion has at least the fewest bytes and the fewest accesses (a bound, not
    // one schedule): if that is dominated, so are they all. Taking each buffer's smallest (or fewest
    // access) completion is one real completion: if it is not dominated, the prefix stays.
    let minBytes = 0;
    let minAccesses = 0;
    let smallest = [0, 0];
    let fewest = [0, 0];
    for (let bi = 0; bi < opts.length; bi++) {
      const b = buffers[bi]!;
      let mb = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
      let ma = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
      for (const o of opts[bi]!)
        for (const f of comp[bi]![o.phase]!) {
          const ext = o.ext * f.e;
          const bytes = (b.role === 'weights' ? ext * b.kernelArea + (b.bias ? o.extOut : 0) : ext) * width;
          const acc = isInterm[bi] ? 0 : o.acc * f.a;
          if (bytes < mb[0]! || (bytes === mb[0] && acc < mb[1]!)) mb = [bytes, acc];
          if (acc < ma[1]! || (acc === ma[1] && bytes < ma[0]!)) ma = [bytes, acc];
        }
      minBytes += mb[0]!;
      minAccesses += ma[1]!;
      smallest = [smallest[0]! + mb[0]!, smallest[1]! + mb[1]!];
      fewest = [fewest[0]! + ma[0]!, fewest[1]! + ma[1]!];
    }
    if (dominated(minBytes, minAccesses)) return true;
    if (!dominated(smallest[0]!, smallest[1]!) || !dominated(fewest[0]!, fewest[1]!)) return false;
    let sums: { bytes: number; accesses: number }[] = [{ bytes: 0, accesses: 0 }];
    for (let bi = 0; bi < opts.length; bi++) {
      const own: Point<null>[] = [];
      // extOut (weights without their input channels) is not grown: a lower bound either way
      for (const o of opts[bi]!)
        for (const f of comp[bi]![o.phase]!)
          own.push({
            bytes: bytesOf(bi, { ext: o.ext * f.e, extOut: o.extOut }),
            accesses: isInterm[bi] ? 0 : o.acc * f.a,
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

  const freeMoves = options.space === 'seed' ? MOVES_NO_REUSE : MOVES;
  const allPatterns = patterns(tables);
  const search = (cands: Candidate[][]) => {
    for (const order of loopOrders()) {
      const orderIdx = order.map((l) => loopNames.indexOf(l));
      for (const pattern of allPatterns) {
        // per position: the role of every intermediate, and so every buffer's context
        const rolesAt = [0, 1, 2, 3].map((p) =>
          buffers.map((_, bi) => {
            const lv = pattern[bi]!;
            return p + 1 <= lv.store ? 0 : p + 1 <= lv.fill ? 1 : 2;
          }),
        );
        const contextAt = rolesAt.map((roles) => buffers.map((b) => contextOf(b, roles)));
        /** The phases buffer bi may take at position p (0-based) from phase `from`, with candidate c. */
        const movesOf = (bi: number, p: number, from: number, trips: number): number[] => {
          const b = buffers[bi]!;
          if (isInterm[bi]) {
            const r = rolesAt[p]![bi]!;
            if (r === 0) return from === ABOVE ? [ABOVE] : [];
            if (r === 1) return from === BELOW ? [] : [from === REUSE_BACK ? REUSE_BACK : REUSE];
            return [BELOW];
          }
          // a producer's fill is at or above its reader's compute level (the reader's output's fill)
          if (b.reader >= 0 && p + 1 > pattern[b.reader]!.fill) return [BELOW];
          return (trips === 1 ? STAY : freeMoves)[from]!;
        };
        const extendInto = (out: Option[], o: Option, bi: number, li: number, c: Candidate, p: number) => {
          const b = buffers[bi]!;
          const ctx = contextAt[p]![bi]!;
          for (const ph of movesOf(bi, p, o.phase, c.trips)) {
            const e = c.entries[bi]![ctx * 3 + ROLE[ph]!] as LoopEntry;
            const x = ph === BELOW || ph === REUSE_BACK ? e.hullSpan : e.maxSpan;
            const emptyNow = e.empty;
            out.push({
              phase: ph === REUSE && e.back ? REUSE_BACK : ph,
              acc: emptyNow ? 0 : o.acc * (isInterm[bi] ? e.filled : e.accesses),
              ext: emptyNow ? 0 : o.ext * x,
              extOut: emptyNow ? 0 : b.role === 'weights' && b.dimOf[li] === 1 ? o.extOut : o.extOut * x,
              store: ph === ABOVE ? p + 1 : o.store,
              fill: ph === BELOW ? o.fill : p + 1,
            });
          }
        };
        // completions[p][buffer][phase]: the (access, extent) factors positions p.. can still multiply
        // a buffer's numbers by, as a Pareto set (fewer of both is better)
        const completions: Factor[][][][] = [];
        completions[4] = buffers.map(() => [0, 1, 2, 3].map(() => [{ a: 1, e: 1 }]));
        for (let p = 3; p >= 0; p--) {
          const li = orderIdx[p]!;
          completions[p] = buffers.map((_, bi) =>
            [0, 1, 2, 3].map((phase) => {
              const out: Factor[] = [];
              for (const c of cands[li]!) {
                const ext: Option[] = [];
                extendInto(ext, { phase, acc: 1, ext: 1, extOut: 1, store: 0, fill: 0 }, bi, li, c, p);
                for (const o of ext)
                  for (const rest of completions[p + 1]![bi]![o.phase]!)
                    out.push({ a: o.acc * rest.a, e: o.ext * rest.e });
              }
              return factorFront(out);
            }),
          );
        }
        const tiles: number[] = [];
        const walk = (p: number, opts: Option[][]) => {
          if (p === 4) {
            stats.tilings++;
            // Per buffer its (bytes, accesses) front, then every combination across buffers.
            let combos: Point<Option[]>[] = [{ bytes: 0, accesses: 0, macs: 0, item: [] }];
            opts.forEach((os, bi) => {
              const own = paretoFront(
                os.map((o) => ({
                  bytes: bytesOf(bi, o),
                  accesses: isInterm[bi] ? 0 : o.acc,
                  macs: 0,
                  item: o,
                })),
              );
              const next: Point<Option[]>[] = [];
              for (const a of combos)
                for (const b of own)
                  next.push({
                    bytes: a.bytes + b.bytes,
                    accesses: a.accesses + b.accesses,
                    macs: 0,
                    item: [...a.item, b.item],
                  });
              combos = paretoFront(next);
            });
            for (const c of combos)
              if (!dominated(c.bytes, c.accesses))
                pending.push({
                  bytes: c.bytes,
                  accesses: c.accesses,
                  macs: macsOf(c.item),
                  item: {
                    order: orderIdx,
                    tiles: [...tiles],
                    levels: c.item.map((o) => ({ store: o.store, fill: o.fill })),
                  },
                });
            if (pending.length > 32) {
              front = paretoFront([...front, ...pending]);
              pending = [];
            }
            return;
          }
          const li = orderIdx[p]!;
          for (const c of cands[li]!) {
            let dead = false;
            const next = opts.map((os, bi) => {
              const out: Option[] = [];
              for (const o of os) extendInto(out, o, bi, li, c, p);
              if (out.length === 0) dead = true;
              return isInterm[bi] ? out : pruneOptions(out);
            });
            if (dead) continue;
            stats.prefixes++;
            // Cut the prefix if every way of completing it is dominated by a point already found.
            if (
              front.length + pending.length + bound.length > 0 &&
              completionDominated(next, completions[p + 1]!)
            )
              continue;
            tiles[li] = c.t;
            walk(p + 1, next);
          }
        };
        const root = start.map((o) => [o]);
        if (front.length + pending.length + bound.length > 0 && completionDominated(root, completions[0]!))
          continue;
        walk(0, root);
      }
    }
  };
  // A first pass over the powers-of-two sizes finds real points of the space cheaply, so the full pass
  // cuts most prefixes early (cutting only what real points dominate keeps it exact).
  const pow2 = (c: Candidate, d: number) => (c.t & (c.t - 1)) === 0 || c.t === d;
  search(allCands.map((cs, li) => cs.filter((c) => pow2(c, seg.dims[loopNames[li]!]))));
  search(allCands);
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
