// Pareto sets of (on-chip bytes, DRAM accesses) points, each carrying what produced it.

export interface Point<T> {
  bytes: number;
  accesses: number;
  /** Tie-break among equal (bytes, accesses): fewer MACs win. */
  macs: number;
  item: T;
}

/**
 * The points no other point dominates (no more bytes and no more accesses, one strictly fewer), sorted
 * by bytes ascending (so accesses descending). Among equal (bytes, accesses) the fewest MACs stays;
 * further ties keep the earliest point, so the result does not depend on anything but the input order.
 */
export function paretoFront<T>(points: Iterable<Point<T>>): Point<T>[] {
  const sorted = [...points].sort((a, b) => a.bytes - b.bytes || a.accesses - b.accesses || a.macs - b.macs);
  const front: Point<T>[] = [];
  for (const p of sorted) {
    const last = front.at(-1);
    if (last === undefined || p.accesses < last.accesses) front.push(p);
  }
  return front;
}

/** For a budget, the point with the fewest accesses within it (fronts are sorted by bytes). */
export function bestWithin<T>(front: Point<T>[], budget: number): Point<T> | undefined {
  let best: Point<T> | undefined;
  for (const p of front) {
    if (p.bytes > budget) break;
    best = p;
  }
  return best;
}
