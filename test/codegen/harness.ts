// Helpers for the code generation tests: several random single-segment cases merged into one network
// (one program, one compile), and running a schedule end to end.

import { runnableNetwork } from '../../src/codegen/c.js';
import type { VerifyPoint } from '../../src/codegen/verify.js';
import { closeSession, defaultInputs, openSession, verifySchedule } from '../../src/codegen/verify.js';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { Layer, LayerSpec, Network } from '../../src/ir/network.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { randomSegmentNetwork } from '../model/random-network.js';

export interface Case {
  net: Network;
  schedule: SegmentSchedule;
}

/** A random network forming one segment and a random schedule of it. */
export function randomCase(r: () => number, maxLayers: number): Case {
  const net = randomSegmentNetwork(r, maxLayers);
  const seg = analyzeSegment(
    net,
    net.layers.map((l) => l.name),
  );
  return { net, schedule: randomSegmentSchedule(seg, r) };
}

function specOf(l: Layer, rename: (t: string) => string): LayerSpec {
  const { shape: _shape, ...spec } = l;
  return { ...spec, name: rename(l.name), inputs: l.inputs.map(rename) } as LayerSpec;
}

/** The cases side by side in one network (names prefixed `cN_`), one segment each. */
export function mergeCases(
  cases: Case[],
  elementBytes: ElementBytes,
): { net: Network; schedule: NetworkSchedule } {
  const inputs: Network['inputs'] = [];
  const specs: LayerSpec[] = [];
  const segments: SegmentSchedule[] = [];
  cases.forEach((c, i) => {
    const rename = (t: string) => `c${i}_${t}`;
    for (const t of c.net.inputs) inputs.push({ name: rename(t.name), shape: t.shape });
    for (const l of c.net.layers) specs.push(specOf(l, rename));
    const buffers: SegmentSchedule['buffers'] = {};
    for (const [id, lv] of Object.entries(c.schedule.buffers)) {
      const renamed = id.includes('@')
        ? id.split('@').map(rename).join('@')
        : id.endsWith(':weights')
          ? `${rename(id.slice(0, -':weights'.length))}:weights`
          : rename(id);
      buffers[renamed] = lv;
    }
    segments.push({ ...c.schedule, layers: c.schedule.layers.map(rename), buffers });
  });
  return {
    net: buildNetwork('merged', inputs, specs),
    schedule: { format: scheduleFormat, version: scheduleVersion, network: 'merged', elementBytes, segments },
  };
}

/** Runs the cases as one program; fails with the cases' descriptions on any difference. */
export function verifyCases(cases: Case[], width: ElementBytes, sanitize = false): VerifyPoint {
  const { net, schedule } = mergeCases(cases, width);
  const n = runnableNetwork(net);
  const session = openSession(n, defaultInputs(n));
  try {
    const v = verifySchedule(session, schedule, null, { sanitize });
    if (!v.ok) {
      const bad = new Set(v.mismatches.map((m) => Number(/c(\d+)_/.exec(m)?.[1] ?? -1)));
      const text = [...bad]
        .filter((i) => i >= 0)
        .map((i) => `case ${i}: ${JSON.stringify(cases[i]!.net)} ${JSON.stringify(cases[i]!.schedule)}`);
      throw new Error(`${v.mismatches.join('\n')}\n${v.error ?? ''}\n${text.join('\n')}`);
    }
    return v;
  } finally {
    closeSession(session);
  }
}
