// The data of the HTML report, compact enough for fronts of a thousand points on networks of hundreds of
// layers: every distinct segment schedule is evaluated once, points list which ones they use (as
// changes from the point before), and the page puts the details together when a point is selected.

import type { FrontPoint } from '../dse/explore.js';
import type { FrontFile } from '../formats/front.js';
import type { VerifyFileRead, VerifyPointRead } from '../formats/verify.js';
import { InputError } from '../ir/errors.js';
import type { Network } from '../ir/network.js';
import { segmentCost } from '../model/cost.js';
import { baselineSchedule, evaluateSchedule } from '../model/evaluate.js';
import type { SegmentResult } from '../model/result.js';
import type { NetworkSchedule, SegmentSchedule } from '../model/schedule.js';
import { levelDepth, loopNames } from '../model/schedule.js';
import type { BufferRole, Segment } from '../model/segment.js';
import { checkSchedule, checkSegmentSchedule } from '../model/validate.js';
import type { NetworkSummary } from './inspect.js';
import { summarizeNetwork } from './inspect.js';

export const roleCodes: Record<BufferRole, string> = {
  input: 'i',
  weights: 'w',
  intermediate: 'm',
  output: 'o',
};

/**
 * The layers of a segment, the tile loops' extents, and its buffers as [id, role code, layer index,
 * tensor, the indices of the layers of the segment reading it].
 */
export interface ReportStruct {
  layers: number[];
  dims: [number, number, number, number];
  buffers: [string, string, number, string, number[]][];
  /** 1: a view (a slice or concat alone: nothing moved, no loops). */
  view?: 1;
}

/**
 * A segment schedule and its predicted cost, without names (shared by layers of the same shape):
 * tile x, y, zo, zi; the order as loop indices ("1023" = y x zo zi), and its warm-ups after a colon
 * ("1023:y19" = 19 warm-up iterations of y); per buffer its store and fill
 * depths as two digits; the segment's on-chip bytes, DRAM reads, writes and MACs; then per buffer
 * the number of extents, the extents, bytes, elements filled, DRAM reads and DRAM writes.
 */
export type ReportBody = (number | string)[];

/**
 * A point: on-chip bytes, DRAM accesses, MACs (predicted), then either 0 and its segments as
 * [struct, body] pairs, or 1 and [position, struct, body] triples changed from the point before.
 */
export type ReportPoint = [number, number, number, 0 | 1, number[]];

export interface ReportData {
  network: NetworkSummary;
  space: string;
  elementBytes: number;
  baseline: { bytes: number; accesses: number };
  lowerBound: { accesses: number };
  /** The MACs of the network with every element computed once: a point's recompute factor is over these. */
  leastMacs: number;
  budgetBytes: number | null;
  chosen: number | null;
  /** The point shown first: the chosen one, else the one with the fewest DRAM accesses. */
  selected: number;
  layers: string[];
  structs: ReportStruct[];
  bodies: ReportBody[];
  points: ReportPoint[];
  verify: VerifyPointRead[];
}

/** A point's checked segments and the predicted cost of each. */
export interface PointDetail {
  segments: Segment[];
  results: SegmentResult[];
}

function encodeBody(seg: Segment, s: SegmentSchedule, r: SegmentResult): ReportBody {
  const byId = new Map(r.buffers.map((b) => [b.id, b]));
  const levels = seg.buffers
    .map((b) => `${levelDepth(s.order, s.buffers[b.id]!.store)}${levelDepth(s.order, s.buffers[b.id]!.fill)}`)
    .join('');
  const body: ReportBody = [
    s.tile.x,
    s.tile.y,
    s.tile.zo,
    s.tile.zi,
    // a warm-up rides with the order: "1023:y19"
    s.order.map((l) => loopNames.indexOf(l)).join('') +
      (s.warmup
        ? `:${Object.entries(s.warmup)
            .map(([l, w]) => `${l}${w}`)
            .join(',')}`
        : ''),
    levels,
    r.onChipBytes,
    r.dramReads,
    r.dramWrites,
    r.macs,
  ];
  for (const b of seg.buffers) {
    const x = byId.get(b.id)!;
    body.push(x.extents.length, ...x.extents, x.bytes, x.filled, x.dramReads, x.dramWrites);
  }
  return body;
}

const partitionKey = (sched: NetworkSchedule) =>
  sched.segments.map((s) => s.layers.join('\u0000')).join('\u0001');

/**
 * Checks every point of a front against the network and predicts each distinct segment schedule once.
 * Points whose numbers differ from the model's are refused: the file is stale.
 */
export class FrontEvaluation {
  readonly layers: string[];
  readonly structs: ReportStruct[] = [];
  readonly bodies: ReportBody[] = [];
  readonly points: ReportPoint[] = [];
  /** The network's MACs with every element computed once (the baseline's): recompute factors are over these. */
  readonly leastMacs: number;
  private readonly details: { struct: number; body: number; seg: Segment; result: SegmentResult }[][] = [];

  constructor(net: Network, front: FrontFile) {
    if (front.network !== net.name)
      throw new InputError(`the front is of network '${front.network}', not '${net.name}'`);
    this.layers = net.layers.map((l) => l.name);
    this.leastMacs = evaluateSchedule(net, baselineSchedule(net, front.elementBytes)).macs;
    // older front files do not record it
    if (front.baseline.macs !== undefined && front.baseline.macs !== this.leastMacs)
      throw new InputError(
        `baseline.macs: the file says ${front.baseline.macs}; the model predicts ${this.leastMacs} (a stale front file? explore again)`,
      );
    const layerIndex = new Map(this.layers.map((n, i) => [n, i]));
    // the same layers make the same segment; the same partition is checked as a whole once
    const partitions = new Map<string, Segment[]>();
    const structOf = new Map<string, number>();
    const bodies = new Map<string, number>();
    const evaluated = new Map<string, { body: number; result: SegmentResult }>();
    let previous: { struct: number; body: number }[] = [];
    front.front.forEach((p: FrontPoint, i) => {
      const sched = p.schedule;
      if (sched.elementBytes !== front.elementBytes)
        throw new InputError(
          `point ${i}: schedule of ${sched.elementBytes}-byte elements in a front of ${front.elementBytes}-byte elements`,
        );
      const key = partitionKey(sched);
      let segments = partitions.get(key);
      const fresh = segments === undefined;
      try {
        if (!segments) {
          segments = checkSchedule(net, sched);
          partitions.set(key, segments);
        }
      } catch (e) {
        throw e instanceof InputError ? new InputError(`point ${i}: ${e.message}`) : e;
      }
      const parts = sched.segments.map((s, k) => {
        const seg = segments[k]!;
        const names = seg.layers.map((l) => l.name).join('\u0000');
        if (!structOf.has(names)) {
          structOf.set(names, this.structs.length);
          this.structs.push({
            layers: seg.layers.map((l) => layerIndex.get(l.name)!),
            dims: [seg.dims.x, seg.dims.y, seg.dims.zo, seg.dims.zi],
            buffers: seg.buffers.map((b) => [
              b.id,
              roleCodes[b.role],
              layerIndex.get(b.layer)!,
              b.tensor,
              b.readers.map((r) => layerIndex.get(r)!),
            ]),
            ...(seg.view ? { view: 1 as const } : {}),
          });
        }
        const struct = structOf.get(names)!;
        const sKey = `${struct} ${JSON.stringify(s)}`;
        let known = evaluated.get(sKey);
        if (!known) {
          try {
            if (!fresh) checkSegmentSchedule(seg, s, `segments[${k}]`);
          } catch (e) {
            throw e instanceof InputError ? new InputError(`point ${i}: ${e.message}`) : e;
          }
          const result = segmentCost(seg, s, sched.elementBytes);
          const body = encodeBody(seg, s, result);
          const bKey = JSON.stringify(body);
          let b = bodies.get(bKey);
          if (b === undefined) {
            b = this.bodies.length;
            bodies.set(bKey, b);
            this.bodies.push(body);
          }
          known = { body: b, result };
          evaluated.set(sKey, known);
        }
        return { struct, body: known.body, seg, result: known.result };
      });
      const bytes = Math.max(...parts.map((x) => x.result.onChipBytes));
      const accesses = parts.reduce((n, x) => n + x.result.dramReads + x.result.dramWrites, 0);
      const macs = parts.reduce((n, x) => n + x.result.macs, 0);
      if (bytes !== p.bytes || accesses !== p.accesses || macs !== p.macs)
        throw new InputError(
          `point ${i}: the file says ${p.bytes} bytes, ${p.accesses} accesses, ${p.macs} MACs; the model predicts ${bytes}, ${accesses}, ${macs} (a stale front file? explore again)`,
        );
      this.details.push(parts);
      let encoded: ReportPoint[4] = [];
      if (parts.length === previous.length) {
        parts.forEach((x, k) => {
          if (x.struct !== previous[k]!.struct || x.body !== previous[k]!.body)
            encoded.push(k, x.struct, x.body);
        });
        this.points.push([bytes, accesses, macs, 1, encoded]);
      } else {
        encoded = parts.flatMap((x) => [x.struct, x.body]);
        this.points.push([bytes, accesses, macs, 0, encoded]);
      }
      previous = parts;
    });
  }

  /** The checked segments of point i and their predictions. */
  detail(i: number): PointDetail {
    const parts = this.details[i]!;
    return { segments: parts.map((x) => x.seg), results: parts.map((x) => x.result) };
  }
}

/** Refuses a verify file of another network, element width, or points the front does not have. */
export function checkVerify(net: Network, front: FrontFile, verify: VerifyFileRead): void {
  if (verify.network !== net.name)
    throw new InputError(`network: the verify file is of '${verify.network}', not '${net.name}'`);
  if (verify.elementBytes !== front.elementBytes)
    throw new InputError(
      `elementBytes: the verify file measured ${verify.elementBytes}-byte elements, the front has ${front.elementBytes}-byte elements`,
    );
  verify.points.forEach((p, i) => {
    if (p.point !== null && p.point >= front.front.length)
      throw new InputError(
        `points[${i}].point: ${p.point} is not a point of the front (0..${front.front.length - 1})`,
      );
  });
}

export function reportData(
  net: Network,
  front: FrontFile,
  evaluation: FrontEvaluation,
  verify?: VerifyFileRead,
): ReportData {
  const last = front.front.length - 1;
  return {
    network: summarizeNetwork(net),
    space: front.space,
    elementBytes: front.elementBytes,
    baseline: front.baseline,
    lowerBound: front.lowerBound,
    leastMacs: evaluation.leastMacs,
    budgetBytes: front.budgetBytes ?? null,
    chosen: front.chosen ?? null,
    selected: front.chosen ?? last,
    layers: evaluation.layers,
    structs: evaluation.structs,
    bodies: evaluation.bodies,
    points: evaluation.points,
    verify: verify?.points ?? [],
  };
}
