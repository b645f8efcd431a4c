// Schedules: how each segment of a network runs. Plain data, serialised as a versioned JSON file that a
// person can read, edit and feed back; see docs/execution-model.md for the semantics.
export const loopNames = ['x', 'y', 'zo', 'zi'];
/** The column ranges of the strips of a segment whose last layer's output is `width` wide. */
export function stripRanges(s, width) {
    const w = s.strips?.x ?? width;
    const out = [];
    for (let lo = 0; lo < width; lo += w)
        out.push({ lo, hi: Math.min(lo + w, width) });
    return out;
}
export const warmupLoops = ['x', 'y'];
/** Warm-up iterations of a loop (0 without). */
export function warmupOf(s, l) {
    return l === 'x' || l === 'y' ? (s.warmup?.[l] ?? 0) : 0;
}
export const scheduleFormat = 'memsched.schedule';
export const scheduleVersion = 1;
/** Position of a level in the nest: root 0, order[0] 1, ..., order[3] 4. */
export function levelDepth(order, level) {
    return level === 'root' ? 0 : order.indexOf(level) + 1;
}
/** The level at a depth: 0 root, 1..4 the loops of the order. */
export function levelAt(order, depth) {
    return depth === 0 ? 'root' : order[depth - 1];
}
//# sourceMappingURL=schedule.js.map