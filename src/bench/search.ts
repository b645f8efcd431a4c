// Time of the exact single-layer search (src/dse/layer-search.ts) on some VGG-16 layers.

import { singleLayerFront } from '../dse/layer-search.js';
import type { SpaceName } from '../dse/space.js';
import { zooNetwork } from '../frontends/zoo/index.js';
import { analyzeSegment } from '../model/segment.js';

export interface SearchResult {
  layer: string;
  dims: string;
  space: SpaceName;
  seconds: number;
  frontPoints: number;
  /** The front's ends: the smallest on-chip bytes and the fewest DRAM accesses (1-byte elements). */
  smallest: { bytes: number; accesses: number };
  fewest: { bytes: number; accesses: number };
}

export function searchSpeed(): SearchResult[] {
  const net = zooNetwork('vgg16');
  const out: SearchResult[] = [];
  for (const layer of ['features.0', 'features.10', 'features.28'])
    for (const space of ['seed', 'full'] as SpaceName[]) {
      const seg = analyzeSegment(net, [layer]);
      const t0 = process.hrtime.bigint();
      const front = singleLayerFront(seg, { space, elementBytes: 1 });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const d = seg.dims;
      const end = (i: number) => ({ bytes: front.at(i)!.bytes, accesses: front.at(i)!.accesses });
      out.push({
        layer,
        dims: `x${d.x} y${d.y} zo${d.zo} zi${d.zi}`,
        space,
        seconds,
        frontPoints: front.length,
        smallest: end(0),
        fewest: end(-1),
      });
    }
  return out;
}
