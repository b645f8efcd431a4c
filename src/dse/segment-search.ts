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
// all dominated by points already found is cut off, and so is any buffer's option that can only lead
// to dominated points. Intermediates move no DRAM data: they cost storage, and recomputation (MACs,
// the tie-break). The walk keeps its options in typed arrays: it visits millions of prefixes.

import type { ElementBytes, Level, SegmentSchedule, Warmup } from '../model/schedule.js';
import { levelAt, loopNames, warmupLoops } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { Point } from './pareto.js';
import { paretoFront, Staircase } from './pareto.js';
import type { BufferInfo, Candidate, IntermediateLevels, SegmentTables } from './segment-factors.js';
import { ABOVE, BELOW, contextCount, contextOf, REUSE, segmentTables } from './segment-factors.js';
import type { SpaceName } from './space.js';
import { searchOrders, singleIterationLoops } from './space.js';

/**
 * Phases of a buffer at the loop being placed: its role there (segment-factors.ts), reuse split in two
 * (whether an earlier reuse loop brings data back, so bands below are kept whole).
 */
const PHASE_ABOVE = 0;
const PHASE_REUSE = 1;
const PHASE_REUSE_BACK = 2;
const PHASE_BELOW = 3;
/** The role (the tables' entry) of each phase. */
const ROLE = [ABOVE, REUSE, REUSE, BELOW];
/** The phases a buffer can take at the next loop, from each phase (they only move forward). */
const MOVES = [
  [PHASE_ABOVE, PHASE_REUSE, PHASE_BELOW],
  [PHASE_REUSE, PHASE_BELOW],
  [PHASE_REUSE_BACK, PHASE_BELOW],
  [PHASE_BELOW],
];
/** A loop of one iteration is the same in every phase: phases move on at the next loop instead. */
const STAY = [[PHASE_ABOVE], [PHASE_REUSE], [PHASE_REUSE_BACK], [PHASE_BELOW]];
const NONE: number[] = [];
/** The paper tool's model fetches a buffer anew at every iteration of its level: store == fill. */
const MOVES_NO_REUSE = [[PHASE_ABOVE, PHASE_BELOW], NONE, NONE, [PHASE_BELOW]];
/** Every list of moves used, numbered (what a buffer's completions depend on is keyed by them). */
const MOVE_ID = new Map<number[], number>([...MOVES, ...STAY, ...MOVES_NO_REUSE, NONE].map((m, i) => [m, i]));
/** Options one buffer can carry: one per history of phases, at most one per (store, fill) pair. */
const CAP = 32;

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
  /**
   * Only schedules computing at most this many times the segment's least MACs (every element once):
   * 1 allows no recomputation in fused segments. Unlimited when absent.
   */
  maxRecompute?: number;
  /** `shared`: all intermediates take one (store, fill), so deep chains cost about linearly in depth. */
  intermediates?: IntermediateLevels;
}

/** How much work a search did: partial tilings extended (with every buffer's options), and complete ones costed. */
export interface SearchStats {
  prefixes: number;
  tilings: number;
}

interface Found {
  /** The walk (loop order and pattern) that found it. */
  walk: number;
  order: number[];
  tiles: number[];
  warmups: number[];
  levels: { store: number; fill: number }[];
}

/**
 * Drops tile sizes another size beats or equals in every entry (factor, extents) of every buffer,
 * context and role, with the same phase effects and no more iterations (the first of equals stays).
 */
function pruneCandidates(cands: Candidate[], buffers: BufferInfo[]): Candidate[] {
  // per candidate: what must be equal (defined entries, flags, one iteration or several), and the
  // numbers that must be no larger
  const keyed = cands.map((c, index) => {
    const flags: string[] = [c.trips > 1 ? 'n' : '1'];
    const values: number[] = [c.trips];
    c.entries.forEach((es, bi) => {
      for (const e of es) {
        if (e === undefined) {
          flags.push('-');
          continue;
        }
        flags.push(`${e.back ? 1 : 0}${e.empty ? 1 : 0}${e.absent ? 1 : 0}${e.widens ? 1 : 0}`);
        values.push(buffers[bi]!.role === 'intermediate' ? e.filled : e.accesses, e.maxSpan, e.hullSpan);
      }
    });
    return { c, index, key: flags.join(''), values, sum: values.reduce((a, b) => a + b, 0) };
  });
  // a candidate can only be beaten by one of no larger sum: visit those first
  keyed.sort((a, b) => a.sum - b.sum || a.index - b.index);
  const kept: typeof keyed = [];
  for (const k of keyed)
    if (!kept.some((o) => o.key === k.key && o.values.every((v, i) => v <= k.values[i]!))) kept.push(k);
  return kept.sort((a, b) => a.index - b.index).map((k) => k.c);
}

/** A tile size with its entries flattened: index buffer * slots + context * 3 + role. */
interface Flat {
  t: number;
  trips: number;
  warmup: number;
  /** DRAM accesses factor (elements computed, for an intermediate). */
  a: Float64Array;
  max: Float64Array;
  hull: Float64Array;
  back: Uint8Array;
  empty: Uint8Array;
  absent: Uint8Array;
  widens: Uint8Array;
}

function flatten(c: Candidate, buffers: BufferInfo[], slots: number): Flat {
  const n = buffers.length * slots;
  const f: Flat = {
    t: c.t,
    trips: c.trips,
    warmup: c.warmup,
    a: new Float64Array(n).fill(Number.NaN),
    max: new Float64Array(n).fill(Number.NaN),
    hull: new Float64Array(n).fill(Number.NaN),
    back: new Uint8Array(n),
    empty: new Uint8Array(n),
    absent: new Uint8Array(n),
    widens: new Uint8Array(n),
  };
  c.entries.forEach((es, bi) => {
    es.forEach((e, k) => {
      if (e === undefined) return;
      const i = bi * slots + k;
      f.a[i] = buffers[bi]!.role === 'intermediate' ? e.filled : e.accesses;
      f.max[i] = e.maxSpan;
      f.hull[i] = e.hullSpan;
      f.back[i] = e.back ? 1 : 0;
      f.empty[i] = e.empty ? 1 : 0;
      f.absent[i] = e.absent ? 1 : 0;
      f.widens[i] = e.widens ? 1 : 0;
    });
  });
  return f;
}

/**
 * The options of every buffer after some loops are placed: per buffer up to CAP ways (index
 * buffer * CAP + k), each with its phase, DRAM accesses (elements computed, for an intermediate),
 * product of extents, product of extents but the weights' input channels, and store and fill depths.
 */
class Options {
  readonly n: Int32Array;
  readonly phase: Uint8Array;
  readonly acc: Float64Array;
  readonly ext: Float64Array;
  readonly extOut: Float64Array;
  readonly store: Uint8Array;
  readonly fill: Uint8Array;
  /** A shared DRAM input's flagged positions so far (see marked). */
  readonly mark: Uint8Array;
  constructor(buffers: number) {
    this.n = new Int32Array(buffers);
    this.phase = new Uint8Array(buffers * CAP);
    this.acc = new Float64Array(buffers * CAP);
    this.ext = new Float64Array(buffers * CAP);
    this.extOut = new Float64Array(buffers * CAP);
    this.store = new Uint8Array(buffers * CAP);
    this.fill = new Uint8Array(buffers * CAP);
    this.mark = new Uint8Array(buffers * CAP);
  }
  copy(from: number, to: number): void {
    this.phase[to] = this.phase[from]!;
    this.acc[to] = this.acc[from]!;
    this.ext[to] = this.ext[from]!;
    this.extOut[to] = this.extOut[from]!;
    this.store[to] = this.store[from]!;
    this.fill[to] = this.fill[from]!;
    this.mark[to] = this.mark[from]!;
  }
}

const REFUSED = 255;

/**
 * A shared DRAM input's mark after a position (1..4) whose entry flags a reader absent and/or reads
 * sticking out (LoopEntry.absent, widens): per flag the position seen, 5 for several; REFUSED once an
 * absent position and a different widening one meet (the model has no closed form there).
 */
function marked(m: number, pos: number, absent: boolean, widens: boolean): number {
  let a = Math.floor(m / 6);
  let w = m % 6;
  if (absent) a = a === 0 || a === pos ? pos : 5;
  if (widens) w = w === 0 || w === pos ? pos : 5;
  return a !== 0 && w !== 0 && (a !== w || a === 5) ? REFUSED : a * 6 + w;
}

/** (extent, access) factors the remaining loops can still contribute: a Pareto set, extents ascending. */
interface Completion {
  e: Float64Array;
  a: Float64Array;
}

/**
 * Builds a completion front from runs: each run is a Pareto set (extents ascending) scaled by an
 * extent and an access factor, which keeps it sorted, so merging run by run needs no sort. A run with
 * a factor that is not a number (no entry: levels the model refuses) cannot complete and is skipped.
 */
class CompletionBuilder {
  private e = new Float64Array(64);
  private a = new Float64Array(64);
  private e2 = new Float64Array(64);
  private a2 = new Float64Array(64);
  private n = 0;

  reset(): void {
    this.n = 0;
  }

  add(fe: number, fa: number, rest: Completion): void {
    if (Number.isNaN(fe) || Number.isNaN(fa) || rest.e.length === 0) return;
    const m = rest.e.length;
    // the whole run is dominated when a point has no more than its least extent and least accesses
    const leastE = fe * rest.e[0]!;
    const leastA = fa * rest.a[m - 1]!;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.e[mid]! <= leastE) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && this.a[lo - 1]! <= leastA) return;
    if (this.e2.length < this.n + m) {
      const size = 2 * (this.n + m);
      this.e2 = new Float64Array(size);
      this.a2 = new Float64Array(size);
    }
    const { e, a, e2, a2 } = this;
    let i = 0;
    let j = 0;
    let k = 0;
    let re = leastE;
    let ra = fa * rest.a[0]!;
    while (i < this.n || j < m) {
      let pe: number;
      let pa: number;
      if (j >= m || (i < this.n && (e[i]! < re || (e[i] === re && a[i]! <= ra)))) {
        pe = e[i]!;
        pa = a[i++]!;
      } else {
        pe = re;
        pa = ra;
        if (++j < m) {
          re = fe * rest.e[j]!;
          ra = fa * rest.a[j]!;
        }
      }
      if (k === 0 || pa < a2[k - 1]!) {
        e2[k] = pe;
        a2[k++] = pa;
      }
    }
    this.e2 = e;
    this.a2 = a;
    this.e = e2;
    this.a = a2;
    this.n = k;
  }

  result(): Completion {
    return { e: this.e.slice(0, this.n), a: this.a.slice(0, this.n) };
  }
}

/** Per phase moved into and tile candidate (index phase * candidates + candidate), a buffer's growth factors. */
interface Lows {
  e: Float64Array;
  eOut: Float64Array;
  a: Float64Array;
}

/**
 * Store and fill depths of every intermediate (consumers' fills at or below their producers'), and of
 * the `pinned` DRAM inputs (store == fill), per order: the levels a walk takes as given. None deeper
 * than `deepest` (the levels below it are the same as it).
 */
function patterns(
  tables: SegmentTables,
  pinned: number[],
  deepest: number,
): { store: number; fill: number }[][] {
  const shared = tables.intermediates === 'shared';
  const interm = tables.buffers.map((b, i) => (b.role === 'intermediate' ? i : -1)).filter((i) => i >= 0);
  const out: { store: number; fill: number }[][] = [];
  const levels: { store: number; fill: number }[] = tables.buffers.map(() => ({ store: 0, fill: 0 }));
  // readers first: intermediates are listed producers first; then the inputs they bound
  const todo = [...interm].reverse().concat(pinned);
  const rec = (k: number) => {
    if (k === todo.length) {
      out.push(levels.map((l) => ({ ...l })));
      return;
    }
    const t = todo[k]!;
    const reuse = tables.buffers[t]!.role === 'intermediate';
    if (shared && reuse && k > 0) {
      // shared levels: as the first intermediate placed (the last layer's reader)
      levels[t] = { ...levels[todo[0]!]! };
      rec(k + 1);
      return;
    }
    // at or above every reader's compute level (a DRAM input may have several readers)
    const max = Math.min(...tables.buffers[t]!.readers.map((r) => (r < 0 ? deepest : levels[r]!.fill)));
    for (let fill = 0; fill <= max; fill++)
      for (let store = reuse ? 0 : fill; store <= fill; store++) {
        levels[t] = { store, fill };
        rec(k + 1);
      }
  };
  rec(0);
  return out;
}

/** Pareto set of (bytes, accesses) pairs, bytes ascending; `tag` rides along. */
function pairFront(
  bytes: number[],
  acc: number[],
  tag: number[],
): { bytes: number[]; acc: number[]; tag: number[] } {
  const idx = bytes.map((_, i) => i).sort((i, j) => bytes[i]! - bytes[j]! || acc[i]! - acc[j]!);
  const out = { bytes: [] as number[], acc: [] as number[], tag: [] as number[] };
  for (const i of idx)
    if (out.acc.length === 0 || acc[i]! < out.acc[out.acc.length - 1]!) {
      out.bytes.push(bytes[i]!);
      out.acc.push(acc[i]!);
      out.tag.push(tag[i]!);
    }
  return out;
}

/** (bytes, accesses) points in reusable arrays. */
class PointSet {
  bytes = new Float64Array(64);
  acc = new Float64Array(64);
  n = 0;
  grow(): void {
    const b = new Float64Array(this.bytes.length * 2);
    const a = new Float64Array(this.acc.length * 2);
    b.set(this.bytes);
    a.set(this.acc);
    this.bytes = b;
    this.acc = a;
  }
}

/** Sorts the first n points by bytes, then accesses, and keeps the Pareto ones in front; returns their number. */
function keepFront(bytes: Float64Array, acc: Float64Array, n: number): number {
  if (n > 32) {
    const idx = Array.from({ length: n }, (_, i) => i).sort(
      (i, j) => bytes[i]! - bytes[j]! || acc[i]! - acc[j]!,
    );
    const b = idx.map((i) => bytes[i]!);
    const a = idx.map((i) => acc[i]!);
    bytes.set(b);
    acc.set(a);
  }
  // insertion sort for the small sets (a no-op after the sort above)
  for (let i = 1; i < n; i++) {
    const b = bytes[i]!;
    const a = acc[i]!;
    let j = i - 1;
    while (j >= 0 && (bytes[j]! > b || (bytes[j] === b && acc[j]! > a))) {
      bytes[j + 1] = bytes[j]!;
      acc[j + 1] = acc[j]!;
      j--;
    }
    bytes[j + 1] = b;
    acc[j + 1] = a;
  }
  let m = 0;
  for (let i = 0; i < n; i++)
    if (m === 0 || acc[i]! < acc[m - 1]!) {
      bytes[m] = bytes[i]!;
      acc[m++] = acc[i]!;
    }
  return m;
}

/** The Pareto front of a segment, each point with its schedule. */
export function segmentFront(
  seg: Segment,
  options: SegmentFrontOptions,
  stats: SearchStats = { prefixes: 0, tilings: 0 },
): Point<SegmentSchedule>[] {
  const tables = segmentTables(seg, options.space, false, options.intermediates ?? 'each');
  const buffers = tables.buffers;
  const nb = buffers.length;
  const slots = Math.max(...buffers.map((b) => contextCount(tables.intermediates, b) * 3));
  const allCands = tables.candidates.map((cs) =>
    pruneCandidates(cs, buffers).map((c) => flatten(c, buffers, slots)),
  );
  const width = options.elementBytes;
  const isInterm = buffers.map((b) => b.role === 'intermediate');
  const kernelArea = buffers.map((b) => (b.role === 'weights' ? b.kernelArea : 1));
  const biasOut = buffers.map((b) => (b.role === 'weights' && b.bias ? 1 : 0));
  const bytesOf = (bi: number, ext: number, extOut: number) =>
    (ext * kernelArea[bi]! + biasOut[bi]! * extOut) * width;

  // Points found (a schedule each), and the staircase of everything that dominates: them and the
  // bound. Where intermediates are recomputed, a schedule tying one of them in bytes and accesses may
  // compute fewer MACs (the tie-break), so only what they dominate strictly is cut; a single layer
  // computes the same MACs whatever its schedule.
  const found: Point<Found>[] = [];
  const fence = new Staircase();
  for (const b of options.bound ?? []) fence.add(b.bytes, b.accesses);
  const dominated = buffers.some((b) => b.role === 'intermediate')
    ? (bytes: number, accesses: number) => fence.dominatesStrictly(bytes, accesses)
    : (bytes: number, accesses: number) => fence.dominates(bytes, accesses);
  const anyFound = () => fence.size > 0;
  const fewestMacs = new Map<string, number>();
  const macsLimit = (options.maxRecompute ?? Number.POSITIVE_INFINITY) * tables.leastMacs;
  const interms = buffers.map((_, bi) => bi).filter((bi) => isInterm[bi]);

  const seed = options.space === 'seed';
  const freeMoves = seed ? MOVES_NO_REUSE : MOVES;
  // The paper tool stores a convolution's weights no deeper than its input data: in the seed space
  // each weights buffer is bounded by its layer's data buffer, whose levels the patterns then fix.
  const dataOf = seg.buffers.map((b) => {
    if (!seed || b.role !== 'weights') return -1;
    const data = seg.layers.find((l) => l.name === b.layer)!.inputs[0];
    return seg.buffers.findIndex(
      (d) => d.tensor === data && (d.role === 'intermediate' || d.role === 'input'),
    );
  });
  const pinnedInputs = buffers.map((_, bi) => bi).filter((bi) => !isInterm[bi] && dataOf.includes(bi));
  const pinned = buffers.map((_, bi) => isInterm[bi] || pinnedInputs.includes(bi));
  const orders = searchOrders(seg, options.space);
  // levels inside the innermost loops of one iteration are the same as the level outside them
  const deepest = options.space === 'seed' ? 4 : 4 - singleIterationLoops(seg).length;
  const allPatterns = patterns(tables, pinnedInputs, deepest);
  const levelsAt = Array.from({ length: 5 }, () => new Options(nb));
  // per-option and per-buffer bounds of the completions, reused by every test
  const optMinB = new Float64Array(nb * CAP);
  const optMinBAcc = new Float64Array(nb * CAP);
  const optMinA = new Float64Array(nb * CAP);
  const optMinABytes = new Float64Array(nb * CAP);
  const minB = new Float64Array(nb);
  const minA = new Float64Array(nb);

  /**
   * Per position and buffer: the entry slot of its context (the intermediates' roles), and its moves.
   * They depend on the pattern only, not on the loop order: computed once per pattern.
   */
  const movesOf = (pattern: { store: number; fill: number }[]) => {
    const slotAt = new Int32Array(4 * nb);
    const moves: number[][] = new Array(4 * nb * 8);
    const movesCode = new Float64Array(4 * nb);
    for (let p = 0; p < 4; p++) {
      const roles = buffers.map((_, bi) => {
        const lv = pattern[bi]!;
        return p + 1 <= lv.store ? 0 : p + 1 <= lv.fill ? 1 : 2;
      });
      buffers.forEach((b, bi) => {
        slotAt[p * nb + bi] = bi * slots + contextOf(tables.intermediates, b, roles) * 3;
        for (let from = 0; from < 4; from++)
          for (let multi = 0; multi < 2; multi++) {
            let m: number[];
            if (pinned[bi]) {
              const r = roles[bi]!;
              if (r === 0) m = from === PHASE_ABOVE ? STAY[PHASE_ABOVE]! : NONE;
              else if (r === 1)
                m =
                  from === PHASE_BELOW
                    ? NONE
                    : STAY[from === PHASE_REUSE_BACK ? PHASE_REUSE_BACK : PHASE_REUSE]!;
              else m = STAY[PHASE_BELOW]!;
            } else if (
              b.readers.some((r) => r >= 0 && p + 1 > pattern[r]!.fill) ||
              (dataOf[bi]! >= 0 && p + 1 > pattern[dataOf[bi]!]!.store)
            ) {
              // a producer's fill is at or above its reader's compute level (the reader's output's
              // fill); in the seed space weights are stored no deeper than their data
              m = STAY[PHASE_BELOW]!;
            } else m = (multi ? freeMoves : STAY)[from]!;
            moves[((p * nb + bi) * 4 + from) * 2 + multi] = m;
            movesCode[p * nb + bi] = movesCode[p * nb + bi]! * 16 + MOVE_ID.get(m)!;
          }
      });
    }
    return { slotAt, moves, movesCode };
  };
  const movesMemo = new Map<{ store: number; fill: number }[], ReturnType<typeof movesOf>>();

  // one walk per loop order and pattern
  const walks = orders.flatMap((order) => allPatterns.map((pattern) => ({ order, pattern })));
  const search = (cands: Flat[][], sequence: number[]) => {
    // completions shared by the orders and patterns that agree from some position on
    const completionMemo = new Map<number, Completion>();
    const builder = new CompletionBuilder();
    const suffixId = new Map<string, number>();
    const lowsMemo = new Map<string, Lows>();
    for (const walkIndex of sequence) {
      const { order, pattern } = walks[walkIndex]!;
      const orderIdx = order.map((l) => loopNames.indexOf(l));
      let known = movesMemo.get(pattern);
      if (known === undefined) {
        known = movesOf(pattern);
        movesMemo.set(pattern, known);
      }
      const { slotAt, moves, movesCode } = known;
      const keepsOut = (bi: number, li: number) =>
        buffers[bi]!.role === 'weights' && buffers[bi]!.dimOf[li] === 1;

      /** Places the loop at position p with tile c: the options of depth p + 1; false when a buffer has none. */
      const extend = (src: Options, dst: Options, p: number, li: number, c: Flat): boolean => {
        const multi = c.trips > 1 ? 1 : 0;
        for (let bi = 0; bi < nb; bi++) {
          const base = bi * CAP;
          const slot0 = slotAt[p * nb + bi]!;
          const keep = keepsOut(bi, li);
          const prune = !pinned[bi];
          let n = 0;
          for (let k = 0; k < src.n[bi]!; k++) {
            const i = base + k;
            for (const ph of moves[((p * nb + bi) * 4 + src.phase[i]!) * 2 + multi]!) {
              const s = slot0 + ROLE[ph]!;
              // no entry: levels of a shared DRAM input the model refuses
              if (Number.isNaN(c.a[s]!)) continue;
              let mark = src.mark[i]!;
              if (c.absent[s] === 1 || c.widens[s] === 1) {
                mark = marked(mark, p + 1, c.absent[s] === 1, c.widens[s] === 1);
                if (mark === REFUSED) continue;
              }
              let acc = 0;
              let ext = 0;
              let extOut = 0;
              if (c.empty[s] === 0) {
                const x = ph === PHASE_BELOW || ph === PHASE_REUSE_BACK ? c.hull[s]! : c.max[s]!;
                acc = src.acc[i]! * c.a[s]!;
                ext = src.ext[i]! * x;
                extOut = keep ? src.extOut[i]! : src.extOut[i]! * x;
              }
              const phase = ph === PHASE_REUSE && c.back[s] === 1 ? PHASE_REUSE_BACK : ph;
              if (prune) {
                // keep only options no other of the same phase dominates (later loops multiply alike)
                let beaten = false;
                for (let j = base; j < base + n; j++)
                  if (
                    dst.phase[j] === phase &&
                    dst.mark[j] === mark &&
                    dst.acc[j]! <= acc &&
                    dst.ext[j]! <= ext &&
                    dst.extOut[j]! <= extOut
                  ) {
                    beaten = true;
                    break;
                  }
                if (beaten) continue;
                let m = 0;
                for (let j = 0; j < n; j++) {
                  const q = base + j;
                  if (
                    dst.phase[q] === phase &&
                    dst.mark[q] === mark &&
                    acc <= dst.acc[q]! &&
                    ext <= dst.ext[q]! &&
                    extOut <= dst.extOut[q]!
                  )
                    continue;
                  if (m !== j) dst.copy(q, base + m);
                  m++;
                }
                n = m;
              }
              if (n === CAP) throw new Error('internal: too many options for one buffer');
              const o = base + n++;
              dst.phase[o] = phase;
              dst.mark[o] = mark;
              dst.acc[o] = acc;
              dst.ext[o] = ext;
              dst.extOut[o] = extOut;
              dst.store[o] = ph === PHASE_ABOVE ? p + 1 : src.store[i]!;
              dst.fill[o] = ph === PHASE_BELOW ? src.fill[i]! : p + 1;
            }
          }
          if (n === 0) return false;
          dst.n[bi] = n;
        }
        return true;
      };

      // completions[p][buffer * 4 + phase]: the factors positions p.. can still multiply a buffer's
      // numbers by, as a Pareto set
      const completions: Completion[][] = [];
      completions[4] = new Array(nb * 4).fill({ e: Float64Array.of(1), a: Float64Array.of(1) });
      // what a buffer's completions from position p depend on: the loops, entry slots and moves from p on
      const keyAt = new Float64Array(5 * nb);
      for (let p = 3; p >= 0; p--) {
        const li = orderIdx[p]!;
        completions[p] = [];
        for (let bi = 0; bi < nb; bi++) {
          const suffix = `${li}/${slotAt[p * nb + bi]}/${movesCode[p * nb + bi]}/${keyAt[(p + 1) * nb + bi]}`;
          let id = suffixId.get(suffix);
          if (id === undefined) {
            id = suffixId.size + 1;
            suffixId.set(suffix, id);
          }
          keyAt[p * nb + bi] = id;
          for (let phase = 0; phase < 4; phase++) {
            const key = keyAt[p * nb + bi]! * 4 + phase;
            const known = completionMemo.get(key);
            if (known !== undefined) {
              completions[p]![bi * 4 + phase] = known;
              continue;
            }
            builder.reset();
            for (const c of cands[li]!)
              for (const ph of moves[((p * nb + bi) * 4 + phase) * 2 + (c.trips > 1 ? 1 : 0)]!) {
                const s = slotAt[p * nb + bi]! + ROLE[ph]!;
                const live = c.empty[s] === 0;
                const a = live ? c.a[s]! : 0;
                const e = live ? (ph === PHASE_BELOW || ph === PHASE_REUSE_BACK ? c.hull[s]! : c.max[s]!) : 0;
                builder.add(
                  e,
                  a,
                  completions[p + 1]![
                    bi * 4 + (ph === PHASE_REUSE && c.back[s] === 1 ? PHASE_REUSE_BACK : ph)
                  ]!,
                );
              }
            const f = builder.result();
            completionMemo.set(key, f);
            completions[p]![bi * 4 + phase] = f;
          }
        }
      }

      /** Each buffer's least bytes and accesses over its options' completions (into minB, minA), and their sums. */
      const bufferMinima = (opts: Options): [number, number] => {
        let sumB = 0;
        let sumA = 0;
        for (let bi = 0; bi < nb; bi++) {
          let mb = Number.POSITIVE_INFINITY;
          let ma = Number.POSITIVE_INFINITY;
          for (let k = 0; k < opts.n[bi]!; k++) {
            mb = Math.min(mb, optMinB[bi * CAP + k]!);
            ma = Math.min(ma, optMinA[bi * CAP + k]!);
          }
          minB[bi] = mb;
          minA[bi] = ma;
          sumB += mb;
          sumA += ma;
        }
        return [sumB, sumA];
      };

      /**
       * Whether every completion of the options (positions p.. still to place) is dominated by a
       * point found. Options that can only lead to dominated points are dropped on the way.
       */
      const cut = (opts: Options, p: number): boolean => {
        const comp = completions[p]!;
        // Per option the completion with the fewest bytes and the one with the fewest accesses (the
        // ends of its Pareto set), per buffer the least of each.
        for (let bi = 0; bi < nb; bi++)
          for (let k = 0; k < opts.n[bi]!; k++) {
            const o = bi * CAP + k;
            const f = comp[bi * 4 + opts.phase[o]!]!;
            const last = f.e.length - 1;
            if (last < 0) {
              // no way to complete it
              optMinB[o] = optMinA[o] = optMinBAcc[o] = optMinABytes[o] = Number.POSITIVE_INFINITY;
              continue;
            }
            optMinB[o] = bytesOf(bi, opts.ext[o]! * f.e[0]!, opts.extOut[o]!);
            optMinBAcc[o] = isInterm[bi] ? 0 : opts.acc[o]! * f.a[0]!;
            optMinA[o] = isInterm[bi] ? 0 : opts.acc[o]! * f.a[last]!;
            optMinABytes[o] = bytesOf(bi, opts.ext[o]! * f.e[last]!, opts.extOut[o]!);
          }
        const [sumB, sumA] = bufferMinima(opts);
        // No completion has fewer bytes or fewer accesses than the sums of the least.
        if (dominated(sumB, sumA)) return true;
        // Drop the options whose least bytes and least accesses, with every other buffer at its least, are dominated.
        for (let bi = 0; bi < nb; bi++) {
          const restB = sumB - minB[bi]!;
          const restA = sumA - minA[bi]!;
          let m = 0;
          for (let k = 0; k < opts.n[bi]!; k++) {
            const o = bi * CAP + k;
            if (dominated(restB + optMinB[o]!, restA + optMinA[o]!)) continue;
            if (m !== k) {
              const q = bi * CAP + m;
              opts.copy(o, q);
              optMinB[q] = optMinB[o]!;
              optMinBAcc[q] = optMinBAcc[o]!;
              optMinA[q] = optMinA[o]!;
              optMinABytes[q] = optMinABytes[o]!;
            }
            m++;
          }
          if (m === 0) return true;
          opts.n[bi] = m;
        }
        // Each buffer at its smallest completion, or each at its fewest accesses (each on its own
        // completion, so not always one schedule): if that is not dominated, the exact test seldom
        // cuts, and keeping the prefix is always safe.
        let sb = 0;
        let sa = 0;
        let fb = 0;
        let fa = 0;
        for (let bi = 0; bi < nb; bi++) {
          let kb = bi * CAP;
          let ka = bi * CAP;
          for (let k = 1; k < opts.n[bi]!; k++) {
            const o = bi * CAP + k;
            if (
              optMinB[o]! < optMinB[kb]! ||
              (optMinB[o] === optMinB[kb] && optMinBAcc[o]! < optMinBAcc[kb]!)
            )
              kb = o;
            if (
              optMinA[o]! < optMinA[ka]! ||
              (optMinA[o] === optMinA[ka] && optMinABytes[o]! < optMinABytes[ka]!)
            )
              ka = o;
          }
          sb += optMinB[kb]!;
          sa += optMinBAcc[kb]!;
          fb += optMinABytes[ka]!;
          fa += optMinA[ka]!;
        }
        if (!dominated(sb, sa) || !dominated(fb, fa)) return false;
        return allCombinationsDominated(opts, comp);
      };

      /** The exact test: per buffer its Pareto set of completions, summed across buffers. */
      const allCombinationsDominated = (opts: Options, comp: Completion[]): boolean => {
        const [sumB, sumA] = bufferMinima(opts);
        for (let bi = 0; bi < nb; bi++) {
          const restB = sumB - minB[bi]!;
          const restA = sumA - minA[bi]!;
          const set = sets[bi]!;
          let n = 0;
          for (let k = 0; k < opts.n[bi]!; k++) {
            const o = bi * CAP + k;
            const f = comp[bi * 4 + opts.phase[o]!]!;
            for (let r = 0; r < f.e.length; r++) {
              // extOut (weights without their input channels) is not grown: a lower bound either way
              const bytes = bytesOf(bi, opts.ext[o]! * f.e[r]!, opts.extOut[o]!);
              const acc = isInterm[bi] ? 0 : opts.acc[o]! * f.a[r]!;
              if (dominated(restB + bytes, restA + acc)) continue;
              if (n === set.bytes.length) set.grow();
              set.bytes[n] = bytes;
              set.acc[n++] = acc;
            }
          }
          if (n === 0) return true;
          set.n = keepFront(set.bytes, set.acc, n);
        }
        return !someSumUndominated();
      };

      // Per position and buffer, per phase moved into and tile candidate: the factors by which a child's
      // least extents (weights: also without input channels) and least accesses over its completions
      // grow (shared by the walks that agree from the position on).
      const lows: Lows[] = new Array(4 * nb);
      const prepareLows = () => {
        for (let p = 0; p < 4; p++) {
          const li = orderIdx[p]!;
          const cs = cands[li]!;
          const n = cs.length;
          for (let bi = 0; bi < nb; bi++) {
            const slot0 = slotAt[p * nb + bi]!;
            const key = `${li}/${slot0}/${keyAt[(p + 1) * nb + bi]}`;
            let low = lowsMemo.get(key);
            if (low === undefined) {
              const l: Lows = {
                e: new Float64Array(4 * n),
                eOut: new Float64Array(4 * n),
                a: new Float64Array(4 * n),
              };
              for (let ph = 0; ph < 4; ph++)
                cs.forEach((c, ci) => {
                  const at = ph * n + ci;
                  const sl = slot0 + ROLE[ph]!;
                  const f =
                    completions[p + 1]![
                      bi * 4 + (ph === PHASE_REUSE && c.back[sl] === 1 ? PHASE_REUSE_BACK : ph)
                    ]!;
                  if (f.e.length === 0 || Number.isNaN(c.a[sl]!)) {
                    // no way on
                    l.e[at] = l.a[at] = Number.POSITIVE_INFINITY;
                    return;
                  }
                  const live = c.empty[sl] === 0;
                  const x = ph === PHASE_BELOW || ph === PHASE_REUSE_BACK ? c.hull[sl]! : c.max[sl]!;
                  l.e[at] = live ? x * f.e[0]! : 0;
                  l.eOut[at] = live ? (keepsOut(bi, li) ? 1 : x) : 0;
                  l.a[at] = live && !isInterm[bi] ? c.a[sl]! * f.a[f.a.length - 1]! : 0;
                });
              low = l;
              lowsMemo.set(key, low);
            }
            lows[p * nb + bi] = low;
          }
        }
      };
      // per depth, buffer and phase: the least extents and accesses of the options of the prefix being
      // extended there
      const leastE = new Float64Array(4 * nb * 4);
      const leastEOut = new Float64Array(4 * nb * 4);
      const leastA = new Float64Array(4 * nb * 4);
      const least = (src: Options, p: number) => {
        const base = p * nb * 4;
        leastE.fill(Number.POSITIVE_INFINITY, base, base + nb * 4);
        leastEOut.fill(Number.POSITIVE_INFINITY, base, base + nb * 4);
        leastA.fill(Number.POSITIVE_INFINITY, base, base + nb * 4);
        for (let bi = 0; bi < nb; bi++)
          for (let k = 0; k < src.n[bi]!; k++) {
            const i = bi * CAP + k;
            const at = base + bi * 4 + src.phase[i]!;
            if (src.ext[i]! < leastE[at]!) leastE[at] = src.ext[i]!;
            if (src.extOut[i]! < leastEOut[at]!) leastEOut[at] = src.extOut[i]!;
            if (src.acc[i]! < leastA[at]!) leastA[at] = src.acc[i]!;
          }
      };
      /**
       * Whether every way on from placing candidate ci at position p is dominated: the sum over
       * buffers of their least bytes and least accesses is (`least` has summarised the prefix).
       */
      const childDominated = (p: number, ci: number, c: Flat): boolean => {
        const multi = c.trips > 1 ? 1 : 0;
        const n = cands[orderIdx[p]!]!.length;
        let sumB = 0;
        let sumA = 0;
        for (let bi = 0; bi < nb; bi++) {
          const { e, eOut, a } = lows[p * nb + bi]!;
          let mb = Number.POSITIVE_INFINITY;
          let ma = Number.POSITIVE_INFINITY;
          for (let from = 0; from < 4; from++) {
            const at0 = (p * nb + bi) * 4 + from;
            const le = leastE[at0]!;
            if (le === Number.POSITIVE_INFINITY) continue;
            for (const ph of moves[((p * nb + bi) * 4 + from) * 2 + multi]!) {
              const at = ph * n + ci;
              if (e[at] === Number.POSITIVE_INFINITY) continue;
              const bytes =
                (le * e[at]! * kernelArea[bi]! + biasOut[bi]! * leastEOut[at0]! * eOut[at]!) * width;
              const acc = leastA[at0]! * a[at]!;
              if (bytes < mb) mb = bytes;
              if (acc < ma) ma = acc;
            }
          }
          // no way on for this buffer: the tile size is dead
          if (mb === Number.POSITIVE_INFINITY) return true;
          sumB += mb;
          sumA += ma;
        }
        return dominated(sumB, sumA);
      };

      /** Whether the least MACs any completion can reach (each intermediate at its fewest computed) exceed the limit. */
      const tooManyMacs = (opts: Options, p: number): boolean => {
        if (macsLimit === Number.POSITIVE_INFINITY) return false;
        let macs = tables.lastMacs;
        for (const bi of interms) {
          const o = bi * CAP;
          const f = completions[p]![bi * 4 + opts.phase[o]!]!;
          if (f.a.length === 0) return true;
          macs += opts.acc[o]! * f.a[f.a.length - 1]! * buffers[bi]!.macsPerElement;
        }
        return macs > macsLimit;
      };

      const tiles: number[] = [];
      const warmups: number[] = [];
      const walk = (p: number, opts: Options) => {
        if (p === 4) {
          leaf(opts, walkIndex, orderIdx, tiles, warmups);
          return;
        }
        const li = orderIdx[p]!;
        const next = levelsAt[p + 1]!;
        const cs = cands[li]!;
        const bounded = anyFound();
        if (bounded) least(opts, p);
        for (let ci = 0; ci < cs.length; ci++) {
          const c = cs[ci]!;
          if (bounded && childDominated(p, ci, c)) continue;
          if (!extend(opts, next, p, li, c)) continue;
          if (tooManyMacs(next, p + 1)) continue;
          stats.prefixes++;
          // Cut the prefix if every way of completing it is dominated by a point already found.
          if (p + 1 < 4 && bounded && cut(next, p + 1)) continue;
          tiles[li] = c.t;
          warmups[li] = c.warmup;
          walk(p + 1, next);
        }
      };
      const root = levelsAt[0]!;
      buffers.forEach((b, bi) => {
        root.n[bi] = 1;
        root.phase[bi * CAP] = PHASE_ABOVE;
        root.acc[bi * CAP] = b.fixedFilled;
        root.ext[bi * CAP] = b.fixedExtents;
        root.extOut[bi * CAP] = b.fixedExtentsOut;
        root.store[bi * CAP] = 0;
        root.fill[bi * CAP] = 0;
        root.mark[bi * CAP] = 0;
      });
      if (tooManyMacs(root, 0) || (anyFound() && cut(root, 0))) continue;
      prepareLows();
      walk(0, root);
    }
  };

  /** Per buffer, the points of its completions not dominated (n of them), for the exact test. */
  const sets = buffers.map(() => new PointSet());
  const sumsIn = new PointSet();
  const sumsOut = new PointSet();
  const bySize = buffers.map((_, i) => i);
  /**
   * Whether some sum of one point per buffer's set is not dominated. minB/minA hold each buffer's
   * least bytes and accesses: a partial sum that stays dominated with the rest at their least is dropped.
   */
  const someSumUndominated = (): boolean => {
    bySize.sort((i, j) => sets[i]!.n - sets[j]!.n);
    let restB = 0;
    let restA = 0;
    for (let bi = 0; bi < nb; bi++) {
      restB += minB[bi]!;
      restA += minA[bi]!;
    }
    let from = sumsIn;
    let to = sumsOut;
    from.bytes[0] = 0;
    from.acc[0] = 0;
    from.n = 1;
    for (let k = 0; k < nb; k++) {
      const bi = bySize[k]!;
      const s = sets[bi]!;
      restB -= minB[bi]!;
      restA -= minA[bi]!;
      let n = 0;
      for (let i = 0; i < from.n; i++)
        for (let j = 0; j < s.n; j++) {
          const b = from.bytes[i]! + s.bytes[j]!;
          const a = from.acc[i]! + s.acc[j]!;
          if (dominated(b + restB, a + restA)) continue;
          if (k === nb - 1) return true;
          if (n === to.bytes.length) to.grow();
          to.bytes[n] = b;
          to.acc[n++] = a;
        }
      if (n === 0) return false;
      to.n = keepFront(to.bytes, to.acc, n);
      const t = from;
      from = to;
      to = t;
    }
    return true;
  };

  /** A complete tiling: every combination of the buffers' options that no point found dominates. */
  const leaf = (opts: Options, walkIndex: number, orderIdx: number[], tiles: number[], warmups: number[]) => {
    stats.tilings++;
    let macs = tables.lastMacs;
    for (let bi = 0; bi < nb; bi++)
      if (isInterm[bi]) macs += opts.acc[bi * CAP]! * buffers[bi]!.macsPerElement;
    // per buffer its (bytes, accesses) front; then sums across buffers, keeping which option each took
    const sets = buffers.map((_, bi) => {
      const bs: number[] = [];
      const as: number[] = [];
      const ks: number[] = [];
      for (let k = 0; k < opts.n[bi]!; k++) {
        const o = bi * CAP + k;
        bs.push(bytesOf(bi, opts.ext[o]!, opts.extOut[o]!));
        as.push(isInterm[bi] ? 0 : opts.acc[o]!);
        ks.push(k);
      }
      return pairFront(bs, as, ks);
    });
    let restB = sets.reduce((n, s) => n + s.bytes[0]!, 0);
    let restA = sets.reduce((n, s) => n + s.acc[s.acc.length - 1]!, 0);
    let combos: { bytes: number; accesses: number; picks: number[] }[] = [
      { bytes: 0, accesses: 0, picks: [] },
    ];
    for (let bi = 0; bi < nb; bi++) {
      const s = sets[bi]!;
      restB -= s.bytes[0]!;
      restA -= s.acc[s.acc.length - 1]!;
      const next: Point<number[]>[] = [];
      for (const c of combos)
        for (let j = 0; j < s.bytes.length; j++) {
          const b = c.bytes + s.bytes[j]!;
          const a = c.accesses + s.acc[j]!;
          if (dominated(b + restB, a + restA)) continue;
          next.push({ bytes: b, accesses: a, macs: 0, item: [...c.picks, s.tag[j]!] });
        }
      if (next.length === 0) return;
      combos = paretoFront(next).map((p) => ({ bytes: p.bytes, accesses: p.accesses, picks: p.item }));
    }
    for (const c of combos) {
      // a point tying one found is kept when it computes fewer MACs (the front keeps the fewest)
      const key = `${c.bytes}/${c.accesses}`;
      const best = fewestMacs.get(key);
      if (best !== undefined && best <= macs) continue;
      fewestMacs.set(key, macs);
      fence.add(c.bytes, c.accesses);
      found.push({
        bytes: c.bytes,
        accesses: c.accesses,
        macs,
        item: {
          walk: walkIndex,
          order: orderIdx,
          tiles: [...tiles],
          warmups: [...warmups],
          levels: c.picks.map((k, bi) => ({
            store: opts.store[bi * CAP + k]!,
            fill: opts.fill[bi * CAP + k]!,
          })),
        },
      });
    }
  };

  // A first pass over the powers-of-two sizes finds real points of the space cheaply, so the full pass
  // cuts most prefixes early (cutting only what real points dominate keeps it exact).
  const pow2 = (c: Flat, d: number) => (c.t & (c.t - 1)) === 0 || c.t === d;
  search(
    allCands.map((cs, li) => cs.filter((c) => pow2(c, seg.dims[loopNames[li]!]))),
    walks.map((_, i) => i),
  );
  // Then the walks that found most of the points so far first: their points cut the others sooner.
  const yields = walks.map(() => 0);
  for (const p of paretoFront(found)) yields[p.item.walk]!++;
  search(
    allCands,
    walks.map((_, i) => i).sort((a, b) => yields[b]! - yields[a]! || a - b),
  );
  return paretoFront(found).map((p) => ({ ...p, item: scheduleOf(seg, p.item) }));
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
  const s: SegmentSchedule = { layers: seg.layers.map((l) => l.name), tile, order, buffers };
  const warmup: Warmup = {};
  for (const l of warmupLoops)
    if (f.warmups[loopNames.indexOf(l)]! > 0) warmup[l] = f.warmups[loopNames.indexOf(l)]!;
  if (Object.keys(warmup).length > 0) s.warmup = warmup;
  return s;
}
