// What `memsched eval` prints: per segment and per buffer, the predicted traffic and sizes.

import type { SegmentCheck } from '../check/simulator.js';
import type { NetworkResult } from '../model/evaluate.js';
import type { NetworkSchedule } from '../model/schedule.js';
import { grouped, renderTable } from './table.js';
import { bytesText } from './units.js';

export function evaluationText(sched: NetworkSchedule, result: NetworkResult, label = 'predicted'): string {
  const w = result.elementBytes;
  const out: string[] = [];
  result.segments.forEach((seg, i) => {
    const s = sched.segments[i]!;
    const t = s.tile;
    out.push(
      `segment ${i + 1}: ${s.layers.join(' + ')}  (tile x${t.x} y${t.y} zo${t.zo} zi${t.zi}, loops ${s.order.join(' > ')})`,
    );
    const rows = seg.buffers.map((b) => {
      const lv = s.buffers[b.id]!;
      return [
        b.id,
        b.role,
        `${lv.store}/${lv.fill}`,
        b.extents.join('x'),
        grouped(b.bytes),
        grouped(b.dramReads),
        grouped(b.dramWrites),
        b.role === 'intermediate' ? grouped(b.filled) : '',
      ];
    });
    out.push(
      renderTable(
        ['buffer', 'role', 'store/fill', 'extents', 'bytes', 'DRAM reads', 'DRAM writes', 'computed'],
        rows,
        ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right'],
      ),
    );
    out.push(
      `  ${label}: ${grouped(seg.dramReads)} reads + ${grouped(seg.dramWrites)} writes (elements), on chip ${bytesText(seg.onChipBytes)}, ${grouped(seg.macs)} MACs`,
      '',
    );
  });
  const acc = result.dramAccesses;
  out.push(
    `network (${label}, ${w}-byte elements): ${result.segments.length} segment${result.segments.length === 1 ? '' : 's'}`,
    `  DRAM accesses  ${grouped(acc)} elements = ${bytesText(acc * w)}  (${grouped(result.dramReads)} reads, ${grouped(result.dramWrites)} writes)`,
    `  on-chip memory ${bytesText(result.onChipBytes)} (${grouped(result.onChipBytes)} B, largest segment)`,
    `  MACs           ${grouped(result.macs)}`,
  );
  return out.join('\n');
}

/** The simulator comparison, one line per segment. */
export function checkText(checks: SegmentCheck[]): string {
  const lines = checks.map((c) => {
    const head = `  segment ${c.segment + 1}: `;
    if (c.status === 'agree') return `${head}simulator agrees on all ${c.compared} numbers`;
    if (c.status === 'skipped') return `${head}not simulated (${c.note})`;
    return `${head}MISMATCH in ${c.differences.length} of ${c.compared} numbers: ${c.differences.join('; ')}`;
  });
  const agree = checks.filter((c) => c.status === 'agree').length;
  return [
    `simulator check: ${agree} of ${checks.length} segments simulated and equal to the prediction`,
    ...lines,
  ].join('\n');
}
