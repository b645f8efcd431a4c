// A segment's schedule written out as a loop nest in pseudo-code, each buffer at its store and fill
// level, with the model's predictions as comments. The HTML report's page writes it (html.ts embeds this
// file), so it is plain JavaScript; its types are in loopnest.d.ts.

import { bytesText, grouped } from './format.js';

/**
 * The pseudo-code, one statement a line. On each entry into a level's body, `store B` empties buffer B
 * and `fill B` makes present the part of B's demand that is not (loading it from DRAM, or computing
 * it); the output is written to DRAM when its store level's body ends.
 */
export function loopNest(s) {
  const depth = (level) => (level === 'root' ? 0 : s.order.indexOf(level) + 1);
  const last = s.layers[s.layers.length - 1] ?? '';
  const rows = [];

  const body = (d) => {
    for (const b of s.buffers)
      if (depth(b.store) === d)
        rows.push([d, `store ${b.id}`, `${b.role}, ${b.extents.join('x')}, ${bytesText(b.bytes)}`]);
    for (const b of s.buffers) {
      if (depth(b.fill) !== d) continue;
      if (b.role === 'input' || b.role === 'weights')
        rows.push([d, `fill ${b.id} <- DRAM`, `predicted: ${grouped(b.dramReads)} elements read`]);
      else if (b.role === 'intermediate')
        rows.push([
          d,
          `fill ${b.id} <- compute ${b.id}`,
          `predicted: ${grouped(b.filled)} elements computed`,
        ]);
      else rows.push([d, `fill ${b.id}`, `predicted: ${grouped(b.dramReads)} partial sums read back`]);
    }
    if (d < 4) {
      const l = s.order[d];
      const n = Math.ceil(s.dims[l] / s.tile[l]);
      const w = (l === 'x' || l === 'y' ? s.warmup?.[l] : undefined) ?? 0;
      rows.push([
        d,
        `for ${l} in ${-w * s.tile[l]}..${s.dims[l]} step ${s.tile[l]}:`,
        `${n} iteration${n === 1 ? '' : 's'}${w > 0 ? ` after ${w} warm-up ones (producers compute ahead; nothing below 0 exists)` : ''}`,
      ]);
      body(d + 1);
    } else {
      const t = s.tile;
      const reduce = s.dims.zi > 1 ? ` over zi:+${t.zi}` : '';
      rows.push([d, `compute ${last}[zo:+${t.zo}, y:+${t.y}, x:+${t.x}]${reduce}`, '']);
    }
    for (const b of s.buffers)
      if (b.role === 'output' && depth(b.store) === d)
        rows.push([d, `write ${b.id} -> DRAM`, `predicted: ${grouped(b.dramWrites)} elements written`]);
  };
  body(0);

  const code = rows.map(([d, text]) => `${'  '.repeat(d)}${text}`);
  const width = Math.min(60, Math.max(0, ...code.filter((_, i) => rows[i][2] !== '').map((c) => c.length)));
  return code
    .map((c, i) => {
      const comment = rows[i][2];
      return comment === '' ? c : `${c.padEnd(width)}  # ${comment}`;
    })
    .join('\n');
}
