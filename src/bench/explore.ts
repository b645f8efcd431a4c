// Whole-network exploration of the paper's seven networks: time, memory, front, accesses at budgets.
// Standalone, after `npm run build`: `node dist/bench/explore.js` rewrites bench/results/explore.json.

import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { explore } from '../dse/explore.js';
import type { SpaceName } from '../dse/space.js';
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
  /** The space searched: every tile size, order and level, or the paper tool's (`seed`). */
  space: SpaceName;
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

export async function exploreBench(log: (r: ExploreBench) => void = () => {}): Promise<ExploreBench[]> {
  const out: ExploreBench[] = [];
  // the default (fused pairs) at both widths; layer by layer, the paper tool's space and chains of
  // three at 1 byte
  const runs: [number, ElementBytes, SpaceName][] = [
    [2, 1, 'full'],
    [2, 4, 'full'],
    [1, 1, 'full'],
    [2, 1, 'seed'],
    [3, 1, 'full'],
  ];
  for (const [maxFuse, elementBytes, space] of runs)
    for (const name of paperNetworks) {
      const net = zooNetwork(name);
      let peak = process.memoryUsage().rss;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 50);
      const t0 = process.hrtime.bigint();
      const r = await explore(net, { space, elementBytes, maxFuse, threads: availableParallelism() });
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
        space,
        distinctSegmentsSearched: r.segmentsSearched,
        prefixesVisited: r.searchStats!.prefixes,
        tilingsCosted: r.searchStats!.tilings,
        frontPoints: r.front.length,
        accessesWithin: within,
        baselineAccesses: r.baseline.accesses,
        lowerBoundAccesses: r.lowerBound.accesses,
      });
      log(out.at(-1)!);
    }
  return out;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const machine = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model };
  const explore = await exploreBench((r) =>
    console.log(
      `${r.network} (${r.space}, ${r.elementBytes}-byte, fusing up to ${r.maxFuse}): ${r.seconds.toFixed(1)} s, ${r.peakRssMiB} MiB, ${r.frontPoints} points`,
    ),
  );
  writeFileSync('bench/results/explore.json', `${JSON.stringify({ ...machine, explore }, null, 2)}\n`);
}
