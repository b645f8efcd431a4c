// Whole-network exploration of the paper's seven networks: time, memory, front, accesses at budgets.

import { availableParallelism } from 'node:os';
import { explore } from '../dse/explore.js';
import { zooNetwork } from '../frontends/zoo/index.js';
import type { ElementBytes } from '../model/schedule.js';

export const paperNetworks = ['traffic', 'vdsr', 'vgg16', 'vgg19', 'resnet101', 'resnet152', 'mobilenet_v2'];
const budgets = [64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

export interface ExploreBench {
  network: string;
  elementBytes: ElementBytes;
  seconds: number;
  /** Largest resident set size seen while exploring (sampled), in MiB. */
  peakRssMiB: number;
  /** Longest fused chain searched (1: layer by layer). */
  maxFuse: number;
  distinctSegmentsSearched: number;
  /** Partial tilings the searches extended and complete tilings they costed (each with every buffer placement). */
  prefixesVisited: number;
  tilingsCosted: number;
  frontPoints: number;
  /** Fewest predicted DRAM accesses (elements) within each budget. */
  accessesWithin: Record<string, number | null>;
  baselineAccesses: number;
  lowerBoundAccesses: number;
}

export async function exploreBench(): Promise<ExploreBench[]> {
  const out: ExploreBench[] = [];
  // layer by layer at both widths; fused pairs (the default) at 1 byte
  const runs: [number, ElementBytes][] = [
    [1, 1],
    [1, 4],
    [2, 1],
  ];
  for (const [maxFuse, elementBytes] of runs)
    for (const name of paperNetworks) {
      const net = zooNetwork(name);
      let peak = process.memoryUsage().rss;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 50);
      const t0 = process.hrtime.bigint();
      const r = await explore(net, { space: 'full', elementBytes, maxFuse, threads: availableParallelism() });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      const within: Record<string, number | null> = {};
      for (const b of budgets) {
        const fits = r.front.filter((p) => p.bytes <= b);
        within[`${b / 1024}KiB`] = fits.length > 0 ? fits.at(-1)!.accesses : null;
      }
      out.push({
        network: name,
        elementBytes,
        seconds,
        peakRssMiB: Math.round(peak / 2 ** 20),
        maxFuse,
        distinctSegmentsSearched: r.segmentsSearched,
        prefixesVisited: r.searchStats!.prefixes,
        tilingsCosted: r.searchStats!.tilings,
        frontPoints: r.front.length,
        accessesWithin: within,
        baselineAccesses: r.baseline.accesses,
        lowerBoundAccesses: r.lowerBound.accesses,
      });
    }
  return out;
}
