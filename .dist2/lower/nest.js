// A segment schedule lowered once into its loop nest: the loops with their tiles and trip counts, and
// per level body what happens on entry (buffers emptied at their store level, made present at their
// fill level) and where the last layer computes. Every printer of a schedule prints this one object:
// the C backend as the segment's function, the report as pseudo-code (docs/execution-model.md gives
// the semantics; the simulator executes them on its own, to check both).
//
// Plain data in, plain data out, and plain JavaScript with no imports: the HTML report's page runs it
// too (html.ts embeds this file); its types are in nest.d.ts.

export function lowerSegment(s) {
  const depth = (level) => (level === 'root' ? 0 : s.order.indexOf(level) + 1);
  const last = s.layers[s.layers.length - 1];
  const loops = s.order.map((dim) => {
    const warmup = (dim === 'x' || dim === 'y' ? s.warmup?.[dim] : undefined) ?? 0;
    return {
      dim,
      tile: s.tile[dim],
      extent: s.dims[dim],
      tiles: Math.ceil(s.dims[dim] / s.tile[dim]),
      warmup,
      start: warmup === 0 ? 0 : -warmup * s.tile[dim],
    };
  });
  const iterations = (from, to) => loops.slice(from, to).reduce((n, l) => n * (l.tiles + l.warmup), 1);
  const fillOf = new Map(s.buffers.map((b) => [b.id, depth(b.fill)]));
  let offset = 0;
  const buffers = s.buffers.map((b) => {
    const storeDepth = depth(b.store);
    const fillDepth = depth(b.fill);
    const reader = b.readers[0];
    const demand =
      b.role === 'output' || reader === last
        ? 'last'
        : b.readers.length === 1 && fillDepth === fillOf.get(reader)
          ? 'online'
          : 'planned';
    const lowered = {
      ...b,
      storeDepth,
      fillDepth,
      demand,
      offset,
      fillsPerStore: iterations(storeDepth, fillDepth),
    };
    offset += b.slots;
    return lowered;
  });
  const levels = Array.from({ length: 5 }, (_, d) => ({
    stores: buffers.flatMap((b, i) => (b.storeDepth === d ? [i] : [])),
    fills: buffers.flatMap((b, i) => (b.fillDepth === d ? [i] : [])),
  }));
  return { layers: s.layers, last, loops, levels, buffers, slots: offset };
}
