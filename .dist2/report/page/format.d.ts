// The types of format.js (plain JavaScript, as the HTML report's page runs it).

/** An integer with thousands separators: 1814073344 -> 1,814,073,344. */
export function grouped(n: number): string;

/** A count in engineering units, for compact summaries: 1.81G, 349.2M, 12.5k. */
export function compact(n: number): string;

/** 262144 -> "256 KiB"; non-round sizes keep two decimals: "1.50 MiB". */
export function bytesText(n: number): string;
