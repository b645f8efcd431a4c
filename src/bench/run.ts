// `npm run bench`: writes JSON results under bench/results/ and prints a summary. Parts can be named
// (`npm run bench -- model search explore verify verify-deep ort release int8 halide`; default all of them); `explore:NAME,...`
// explores only the networks named and replaces their entries in bench/results/explore.json; `int8:NAME,...`
// likewise for int8.json.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { sharedLevelsLoss } from './deep.js';
import type { ExploreBench } from './explore.js';
import { exploreBench, exploreEntryKey } from './explore.js';
import { halideBench, halideSummaryLines } from './halide.js';
import type { Int8Bench } from './int8.js';
import { int8Bench, int8SummaryLine } from './int8.js';
import { modelSpeed } from './model-speed.js';
import { ortBench, ortModels, ortSummaryLine, ortVersion } from './ort.js';
import { releaseBench, releaseSummaryLine } from './release.js';
import { searchSpeed } from './search.js';
import { summaryLine, verifyBench } from './verify.js';
import { deepPlan, deepSummaryLine, saveDeep, verifyDeep } from './verify-deep.js';

const machine = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model };
mkdirSync('bench/results', { recursive: true });
const parts = [
  'model',
  'search',
  'deep',
  'explore',
  'verify',
  'verify-deep',
  'ort',
  'release',
  'int8',
  'halide',
];
const exploreOnly = process.argv
  .slice(2)
  .find((a) => a.startsWith('explore:'))
  ?.slice('explore:'.length)
  .split(',');
// `int8:NAME,...`: only the models whose file or zoo name holds NAME, their entries replaced in int8.json
const int8Only = process.argv
  .slice(2)
  .find((a) => a.startsWith('int8:'))
  ?.slice('int8:'.length)
  .split(',');
const asked = process.argv
  .slice(2)
  .map((a) => (a.startsWith('explore:') ? 'explore' : a.startsWith('int8:') ? 'int8' : a));
for (const a of asked)
  if (!parts.includes(a)) throw new Error(`bench: unknown part '${a}' (${parts.join(', ')})`);
const run = (part: string) => asked.length === 0 || asked.includes(part);

if (run('model')) {
  const speed = { ...machine, modelSpeed: modelSpeed() };
  writeFileSync('bench/results/model-speed.json', `${JSON.stringify(speed, null, 2)}\n`);
  for (const r of speed.modelSpeed)
    console.log(`${r.case}: ${r.perSecond.toLocaleString('en-US')} ${r.unit}/s (one core)`);
}
if (run('search')) {
  const search = { ...machine, singleLayerSearch: searchSpeed() };
  writeFileSync('bench/results/search.json', `${JSON.stringify(search, null, 2)}\n`);
  for (const r of search.singleLayerSearch)
    console.log(
      `search ${r.layer} (${r.dims}), ${r.space} space: ${r.seconds.toFixed(2)} s, ${r.frontPoints} front points, from ${r.smallest.bytes} B / ${r.smallest.accesses} accesses to ${r.fewest.bytes} B / ${r.fewest.accesses}`,
    );
}
if (run('deep')) {
  const deep = { ...machine, sharedLevelsLoss: sharedLevelsLoss() };
  writeFileSync('bench/results/deep-fusion.json', `${JSON.stringify(deep, null, 2)}\n`);
  for (const r of deep.sharedLevelsLoss)
    console.log(
      `shared levels on ${r.chain} (${r.dims}): ${r.matched} of ${r.eachPoints} points reached exactly, ${r.unreached} below the shared front's least bytes, worst ${r.worstRatio?.toFixed(3) ?? '-'}x, median ${r.medianRatio?.toFixed(3) ?? '-'}x the accesses; ${r.sharedSeconds.toFixed(2)} s instead of ${r.eachSeconds.toFixed(2)} s`,
    );
}
if (run('explore')) {
  const fresh = (
    await exploreBench(
      (r) =>
        console.log(
          `explore ${r.network} (${r.space} space, ${r.elementBytes}-byte, fusing up to ${r.maxFuse}): ${r.seconds.toFixed(1)} s, ${r.peakRssMiB} MiB peak, ${r.frontPoints} points; within 256 KiB ${r.accessesWithin['256KiB']?.toLocaleString('en-US')} accesses (baseline ${r.baselineAccesses.toLocaleString('en-US')}, bound ${r.lowerBoundAccesses.toLocaleString('en-US')})`,
        ),
      exploreOnly,
    )
  ).map((r) => ({ ...r, date: machine.date }));
  const file = 'bench/results/explore.json';
  // some networks only: their entries replaced in place (those the plan no longer runs dropped), the
  // other networks' kept with the date they were measured
  const before =
    exploreOnly !== undefined && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as {
          date: string;
          explore: (ExploreBench & { date?: string })[];
        })
      : undefined;
  const unknown = exploreOnly?.filter((n) => !fresh.some((r) => r.network === n)) ?? [];
  if (unknown.length > 0)
    throw new Error(`bench: no explore run for ${unknown.map((n) => `'${n}'`).join(', ')}`);
  const byKey = new Map(fresh.map((r) => [exploreEntryKey(r), r]));
  const beforeKeys = new Set(before?.explore.map(exploreEntryKey));
  const explore = [
    ...(before?.explore ?? [])
      .filter((r) => byKey.has(exploreEntryKey(r)) || !exploreOnly?.includes(r.network))
      .map((r) => byKey.get(exploreEntryKey(r)) ?? { ...r, date: r.date ?? before!.date }),
    ...fresh.filter((r) => !beforeKeys.has(exploreEntryKey(r))),
  ];
  writeFileSync(file, `${JSON.stringify({ ...machine, explore }, null, 2)}\n`);
}
// Schedules run as generated C: every traffic-detector and VDSR point (VDSR's resumed from its progress
// file), samples of the others (minutes per point).
if (run('verify')) {
  const verified = { ...machine, verify: await verifyBench() };
  writeFileSync('bench/results/verify.json', `${JSON.stringify(verified, null, 2)}\n`);
  for (const r of verified.verify) console.log(summaryLine(r));
}
// Deep-fusion points (default search options) run as C: the VDSR points for 1 MiB and 4 MiB, samples of
// the traffic-sign net and VGG-16 (minutes in all).
if (run('verify-deep'))
  for (const entry of deepPlan) {
    const r = await verifyDeep(entry);
    saveDeep(r);
    console.log(deepSummaryLine(r));
  }
// ONNX Runtime, one thread, on the networks issue #20 times generated code on (minutes: the reference
// inference of VDSR and VGG-16 checks its outputs).
if (run('ort')) {
  const ort = { ...machine, onnxruntime: ortVersion(), ort: await ortBench() };
  writeFileSync('bench/results/ort.json', `${JSON.stringify(ort, null, 2)}\n`);
  for (const r of ort.ort) console.log(ortSummaryLine(r));
}
// The release C build at the 256 KiB (no recompute) and 4 MiB points, against ONNX Runtime's times in
// ort.json (minutes: each network explored twice, its reference inference run once).
if (run('release')) {
  const release = {
    ...machine,
    release: await releaseBench(undefined, 5, (r) => console.log(releaseSummaryLine(r))),
  };
  writeFileSync('bench/results/release.json', `${JSON.stringify(release, null, 2)}\n`);
}
// The int8 release build at the release bench's retiled points, against the float build of the same
// schedules and ONNX Runtime, timed alternately in one sitting (minutes: three reference inferences of
// each network, VDSR's int8 runs).
if (run('int8')) {
  const models = ortModels.filter((m) => int8Only === undefined || int8Only.some((n) => m.includes(n)));
  const fresh = await int8Bench(models, 3, 3, (r) => console.log(int8SummaryLine(r)));
  const file = 'bench/results/int8.json';
  const kept =
    int8Only !== undefined && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { int8: Int8Bench[] }).int8.filter(
          (r) => !models.includes(r.model),
        )
      : [];
  writeFileSync(file, `${JSON.stringify({ ...machine, int8: [...kept, ...fresh] }, null, 2)}\n`);
}
// The Halide backend at the 256 KiB and 4 MiB points of each of those networks, next to ONNX Runtime's
// time from ort.json (minutes: exploring, Halide compiling every segment, and VDSR's runs).
if (run('halide')) {
  const halide = { ...machine, halide: await halideBench() };
  writeFileSync('bench/results/halide.json', `${JSON.stringify(halide, null, 2)}\n`);
  for (const r of halide.halide) for (const l of halideSummaryLines(r)) console.log(l);
}
