// A segment's schedule written out as a loop nest in pseudo-code, each buffer at its store and fill
// level, with the model's predictions as comments: the lowered loop nest (lower/nest.js) printed. The
// HTML report's page writes it (html.ts embeds this file), so it is plain JavaScript; its types are in
// loopnest.d.ts.

import { lowerSegment } from '../../lower/nest.js';
import { bytesText, grouped } from './format.js';

/**
 * The pseudo-code, one statement a line. On each entry into a level's body, `store B` empties buffer B
 * and `fill B` makes present the part of B's demand that is not (loading it from DRAM, or computing
 * it); the output is written to DRAM when its store level's body ends.
 */
export function loopNest(s) {
  if (s.view)
    return `${s.layers[0]}: a view; its readers read its producers' tensors in DRAM (nothing moved, held or computed)`;
  const nest = lowerSegment(s);
  const rows = [];
  // strips: the four loops run once per strip (docs/execution-model.md, "Strips")
  const strips = s.strips ? Math.ceil(s.dims.x / s.strips.x) : 0;
  const at = strips > 0 ? 1 : 0;
  if (strips > 0)
    rows.push([
      0,
      `for strip in 0..${s.dims.x} step ${s.strips.x}:`,
      `${strips} strips; each starts with every buffer empty but weights stored at root`,
    ]);

  const body = (d) => {
    const { stores, fills } = nest.levels[d];
    for (const b of stores.map((i) => nest.buffers[i]))
      rows.push([
        d + at,
        `store ${b.id}`,
        `${b.role}, ${b.raster === undefined ? b.extents.join('x') : `${b.extents[0]} channels x ${b.raster} raster run (band ${b.extents[2]})`}, ${bytesText(b.bytes)}`,
      ]);
    for (const b of fills.map((i) => nest.buffers[i])) {
      if (b.role === 'input' || b.role === 'weights')
        rows.push([d + at, `fill ${b.id} <- DRAM`, `predicted: ${grouped(b.dramReads)} elements read`]);
      else if (b.role === 'intermediate')
        rows.push([
          d + at,
          `fill ${b.id} <- compute ${b.id}`,
          `predicted: ${grouped(b.filled)} elements computed${b.dramWrites > 0 ? `, each written to DRAM as computed (read after the segment too): ${grouped(b.dramWrites)} writes` : ''}`,
        ]);
      else rows.push([d + at, `fill ${b.id}`, `predicted: ${grouped(b.dramReads)} partial sums read back`]);
    }
    const loop = nest.loops[d];
    if (loop !== undefined) {
      const { dim, tile, tiles, warmup } = loop;
      rows.push([
        d + at,
        strips > 0 && dim === 'x'
          ? `for x in strip${warmup > 0 ? ` - ${warmup * tile}` : ''}..strip + ${s.strips.x} step ${tile}:`
          : `for ${dim} in ${loop.start}..${loop.extent} step ${tile}:`,
        strips > 0 && dim === 'x'
          ? `${Math.ceil(s.strips.x / tile)} iterations a strip${warmup > 0 ? ` after ${warmup} warm-up ones (producers compute the strip's halo ahead)` : ''}`
          : `${tiles} iteration${tiles === 1 ? '' : 's'}${warmup > 0 ? ` after ${warmup} warm-up ones (producers compute ahead; nothing below 0 exists)` : ''}`,
      ]);
      body(d + 1);
    } else {
      const t = Object.fromEntries(nest.loops.map((l) => [l.dim, l.tile]));
      const reduce = nest.loops.some((l) => l.dim === 'zi' && l.extent > 1) ? ` over zi:+${t.zi}` : '';
      rows.push([d + at, `compute ${nest.last}[zo:+${t.zo}, y:+${t.y}, x:+${t.x}]${reduce}`, '']);
    }
    for (const i of stores)
      if (nest.buffers[i].role === 'output')
        rows.push([
          d + at,
          `write ${nest.buffers[i].id} -> DRAM`,
          `predicted: ${grouped(nest.buffers[i].dramWrites)} elements written`,
        ]);
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
