// What the lowering takes (nest.js), from a checked segment, its schedule and the model's prediction.
/** The segment's schedule with the model's numbers per buffer; slots are the predicted bytes over the width. */
export function nestInput(seg, s, r, elementBytes) {
    return {
        // topological, whatever order the schedule lists them in
        layers: seg.layers.map((l) => l.name),
        dims: seg.dims,
        tile: s.tile,
        order: s.order,
        ...(s.warmup ? { warmup: s.warmup } : {}),
        ...(s.strips ? { strips: s.strips } : {}),
        buffers: seg.buffers.map((b, bi) => {
            const p = r.buffers[bi];
            return {
                id: b.id,
                role: b.role,
                readers: b.readers,
                ...(b.exported ? { exported: true } : {}),
                store: s.buffers[b.id].store,
                fill: s.buffers[b.id].fill,
                extents: p.extents,
                ...(p.raster === undefined ? {} : { raster: p.raster }),
                slots: p.bytes / elementBytes,
                bytes: p.bytes,
                filled: p.filled,
                dramReads: p.dramReads,
                dramWrites: p.dramWrites,
            };
        }),
    };
}
//# sourceMappingURL=input.js.map