// What `memsched eval` prints: per segment and per buffer, the predicted traffic and sizes.
import { grouped, renderTable } from './table.js';
import { bytesText } from './units.js';
/** `nests`: per segment its loop nest (loopNest), printed under its table. */
export function evaluationText(sched, result, label = 'predicted', nests) {
    const w = result.elementBytes;
    const out = [];
    result.segments.forEach((seg, i) => {
        const s = sched.segments[i];
        if (seg.view) {
            out.push(`segment ${i + 1}: ${s.layers.join(' + ')}  (a view: its readers read its producers' tensors in DRAM; nothing moved, held or computed)`, '');
            return;
        }
        const t = s.tile;
        const warmups = Object.entries(s.warmup ?? {}).map(([l, n]) => `, ${l} from -${n} (warm-up)`);
        out.push(`segment ${i + 1}: ${s.layers.join(' + ')}  (${s.strips ? `strips of ${s.strips.x} columns, ` : ''}tile x${t.x} y${t.y} zo${t.zo} zi${t.zi}, loops ${s.order.join(' > ')}${warmups.join('')})`);
        const rows = seg.buffers.map((b) => {
            const lv = s.buffers[b.id];
            return [
                b.id,
                // an intermediate read after the segment too is a second output, written as computed
                b.role === 'intermediate' && b.dramWrites > 0 ? 'intermediate+out' : b.role,
                `${lv.store}/${lv.fill}`,
                b.raster === undefined ? b.extents.join('x') : `${b.extents[0]}x${b.raster} raster`,
                grouped(b.bytes),
                grouped(b.dramReads),
                grouped(b.dramWrites),
                b.role === 'intermediate' ? grouped(b.filled) : '',
            ];
        });
        out.push(renderTable(['buffer', 'role', 'store/fill', 'extents', 'bytes', 'DRAM reads', 'DRAM writes', 'computed'], rows, ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right']));
        out.push(`  ${label}: ${grouped(seg.dramReads)} reads + ${grouped(seg.dramWrites)} writes (elements), on chip ${bytesText(seg.onChipBytes)}, ${grouped(seg.macs)} MACs`);
        const nest = nests?.[i];
        if (nest !== undefined)
            out.push('', ...nest.split('\n').map((l) => `  ${l}`));
        out.push('');
    });
    const acc = result.dramAccesses;
    out.push(`network (${label}, ${w}-byte elements): ${result.segments.length} segment${result.segments.length === 1 ? '' : 's'}`, `  DRAM accesses  ${grouped(acc)} elements = ${bytesText(acc * w)}  (${grouped(result.dramReads)} reads, ${grouped(result.dramWrites)} writes)`, `  on-chip memory ${bytesText(result.onChipBytes)} (${grouped(result.onChipBytes)} B, largest segment)`, `  MACs           ${grouped(result.macs)}`);
    return out.join('\n');
}
/** The simulator comparison, one line per segment, then the work it took. */
export function checkText(checks) {
    const lines = checks.map((c) => {
        const head = `  segment ${c.segment + 1}: `;
        const work = `(${grouped(c.reads)} element reads, ${c.seconds.toFixed(1)} s)`;
        if (c.status === 'agree')
            return `${head}simulator agrees on all ${c.compared} numbers ${work}`;
        if (c.status === 'skipped')
            return `${head}not simulated (${c.note})`;
        return `${head}MISMATCH in ${c.differences.length} of ${c.compared} numbers ${work}: ${c.differences.join('; ')}`;
    });
    const agree = checks.filter((c) => c.status === 'agree').length;
    const run = checks.filter((c) => c.status !== 'skipped');
    const reads = run.reduce((n, c) => n + c.reads, 0);
    const estimated = run.reduce((n, c) => n + c.estimatedReads, 0);
    const seconds = run.reduce((n, c) => n + c.seconds, 0);
    const memory = Math.max(0, ...run.map((c) => c.memoryBytes));
    return [
        `simulator check: ${agree} of ${checks.length} segments simulated and equal to the prediction`,
        ...lines,
        `  simulated ${grouped(reads)} element reads (estimated ${grouped(estimated)}) in ${seconds.toFixed(1)} s, simulator memory at most ${bytesText(memory)} per segment`,
    ].join('\n');
}
/** What the check is about to do: printed before it starts. */
export function checkPlanText(plan) {
    const simulated = plan.simulate.filter(Boolean).length;
    const memory = Math.max(0, ...plan.memoryBytes.filter((_, i) => plan.simulate[i]));
    const skipped = plan.segments.length - simulated;
    return (`simulator check: ${simulated} of ${plan.segments.length} segments, estimated ${grouped(plan.totalReads)} element reads, ` +
        `simulator memory at most ${bytesText(memory)} per segment` +
        (skipped > 0
            ? ` (${skipped} above the limits: ${grouped(plan.maxReads)} estimated reads, ${bytesText(plan.maxBytes)})`
            : ''));
}
/** One line of progress: a bar, the share of the estimated reads done, and the time left at the rate so far. */
export function checkProgressText(reads, estimatedReads, seconds) {
    const share = estimatedReads > 0 ? Math.min(1, reads / estimatedReads) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    const left = share > 0 ? (seconds * (1 - share)) / share : undefined;
    return (`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0)}% of the estimated reads, ` +
        `${seconds.toFixed(0)} s` +
        (left === undefined ? '' : `, about ${left.toFixed(0)} s left`));
}
//# sourceMappingURL=evaluation.js.map