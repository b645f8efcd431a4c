// Holding the model to the simulator on one random case (the property tests' shared step).

import { compareResults } from '../../src/check/simulator.js';
import { InputError } from '../../src/ir/errors.js';
import type { Network } from '../../src/ir/network.js';
import { segmentCost } from '../../src/model/cost.js';
import type { SegmentResult } from '../../src/model/result.js';
import type { ElementBytes, SegmentSchedule } from '../../src/model/schedule.js';
import type { Segment } from '../../src/model/segment.js';
import { simulateSegment } from '../../src/simulate/simulate.js';

/**
 * Runs the simulator and the model on one case and returns their (equal) result; undefined when the
 * schedule check refuses it (a tensor several layers read, without an exact closed form); throws,
 * naming the case and what differs, when they differ.
 */
export function simulatedAsModelled(
  net: Network,
  seg: Segment,
  s: SegmentSchedule,
  width: ElementBytes,
  what: string,
): SegmentResult | undefined {
  const describe = () =>
    `${what}: layers ${JSON.stringify(net.layers)} inputs ${JSON.stringify(net.inputs)} schedule ${JSON.stringify(s)}`;
  let model: SegmentResult;
  let sim: SegmentResult;
  try {
    sim = simulateSegment(net, seg, s, width);
    model = segmentCost(seg, s, width);
  } catch (e) {
    if (e instanceof InputError && e.message.includes('no exact closed form')) return undefined;
    throw new Error(`${(e as Error).message}\n${describe()}`);
  }
  const a = JSON.stringify(model);
  const b = JSON.stringify(sim);
  if (a !== b)
    throw new Error(
      `model and simulator differ: ${compareResults(model, sim).differences.join('; ')}\n${describe()}\nmodel:     ${a}\nsimulator: ${b}`,
    );
  return sim;
}
