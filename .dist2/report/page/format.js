// Numbers as memsched prints them, in the terminal and in the HTML report's page (html.ts embeds this
// file in the page, so it is plain JavaScript that needs nothing but the language).

/** An integer with thousands separators: 1814073344 -> 1,814,073,344. */
export function grouped(n) {
  return Math.round(n).toLocaleString('en-US');
}

/** A count in engineering units, for compact summaries: 1.81G, 349.2M, 12.5k. */
export function compact(n) {
  const units = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${(n / v).toFixed(n / v >= 100 ? 1 : 2)}${u}`;
  return String(n);
}

/** 262144 -> "256 KiB"; non-round sizes keep two decimals: "1.50 MiB". */
export function bytesText(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const s = Number.isInteger(v) ? String(v) : v.toFixed(2);
  return `${s} ${units[u]}`;
}
