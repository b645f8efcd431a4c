// Pareto sets of (on-chip bytes, DRAM accesses) points, each carrying what produced it.
/**
 * The points no other point dominates (no more bytes and no more accesses, one strictly fewer), sorted
 * by bytes ascending (so accesses descending). Among equal (bytes, accesses) the fewest MACs stays;
 * further ties keep the earliest point, so the result does not depend on anything but the input order.
 */
export function paretoFront(points) {
    const sorted = [...points].sort((a, b) => a.bytes - b.bytes || a.accesses - b.accesses || a.macs - b.macs);
    const front = [];
    for (const p of sorted) {
        const last = front.at(-1);
        if (last === undefined || p.accesses < last.accesses)
            front.push(p);
    }
    return front;
}
/** For a budget, the point with the fewest accesses within it (fronts are sorted by bytes). */
export function bestWithin(front, budget) {
    let best;
    for (const p of front) {
        if (p.bytes > budget)
            break;
        best = p;
    }
    return best;
}
/**
 * A Pareto staircase of (bytes, accesses) for fast dominance tests: points sorted by bytes ascending,
 * accesses strictly descending.
 */
export class Staircase {
    bytes = new Float64Array(64);
    accesses = new Float64Array(64);
    size = 0;
    /** The index of the last point with no more than `bytes` (the fewest accesses of those), or -1. */
    lastWithin(bytes) {
        let lo = 0;
        let hi = this.size;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.bytes[mid] <= bytes)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo - 1;
    }
    /** Whether some point has no more bytes and no more accesses. */
    dominates(bytes, accesses) {
        const i = this.lastWithin(bytes);
        return i >= 0 && this.accesses[i] <= accesses;
    }
    /** Whether some point has no more bytes and no more accesses, and fewer of one of them. */
    dominatesStrictly(bytes, accesses) {
        const i = this.lastWithin(bytes);
        if (i < 0)
            return false;
        const a = this.accesses[i];
        return a < accesses || (a === accesses && this.bytes[i] < bytes);
    }
    /** Adds a point unless it is dominated (then returns false), dropping the points it dominates. */
    add(bytes, accesses) {
        if (this.dominates(bytes, accesses))
            return false;
        let i = 0;
        while (i < this.size && this.bytes[i] < bytes)
            i++;
        let j = i;
        while (j < this.size && this.accesses[j] >= accesses)
            j++;
        const shift = 1 - (j - i);
        if (this.size + shift > this.bytes.length) {
            const grow = (a) => {
                const b = new Float64Array(a.length * 2);
                b.set(a);
                return b;
            };
            this.bytes = grow(this.bytes);
            this.accesses = grow(this.accesses);
        }
        this.bytes.copyWithin(j + shift, j, this.size);
        this.accesses.copyWithin(j + shift, j, this.size);
        this.bytes[i] = bytes;
        this.accesses[i] = accesses;
        this.size += shift;
        return true;
    }
}
//# sourceMappingURL=pareto.js.map