// A tiny Caffe model and a fused schedule of it, for the codegen and verify command tests.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 2x12x12 -> conv 3x3 pad 1 (+ReLU) -> 2x2 max pool -> conv 3x3: shape-only, so weights are seeded. */
export const tinyPrototxt = `name: "tiny"
input: "data" input_shape { dim: 1 dim: 2 dim: 12 dim: 12 }
layer { name: "c1" type: "Convolution" bottom: "data" top: "c1" convolution_param { num_output: 4 kernel_size: 3 pad: 1 } }
layer { name: "r1" type: "ReLU" bottom: "c1" top: "c1" }
layer { name: "p1" type: "Pooling" bottom: "c1" top: "p1" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "c2" type: "Convolution" bottom: "p1" top: "c2" convolution_param { num_output: 3 kernel_size: 3 } }
`;

/** c1 fused into p1 through a line buffer, 2 output rows at a time; c2 alone, its reduction in 2 tiles. */
export const tinySchedule = {
  format: 'memsched.schedule',
  version: 1,
  network: 'tiny',
  elementBytes: 2,
  segments: [
    {
      layers: ['c1', 'p1'],
      tile: { x: 6, y: 2, zo: 4, zi: 1 },
      order: ['y', 'x', 'zo', 'zi'],
      buffers: {
        'data@c1': { store: 'root', fill: 'y' },
        'c1:weights': { store: 'root', fill: 'root' },
        c1: { store: 'root', fill: 'y' },
        p1: { store: 'y', fill: 'y' },
      },
    },
    {
      layers: ['c2'],
      tile: { x: 4, y: 2, zo: 3, zi: 2 },
      order: ['zi', 'y', 'x', 'zo'],
      buffers: {
        'p1@c2': { store: 'zi', fill: 'y' },
        'c2:weights': { store: 'zi', fill: 'zi' },
        c2: { store: 'y', fill: 'y' },
      },
    },
  ],
};

export function tinyFiles(where: string): { model: string; schedule: string } {
  const model = join(where, 'tiny.prototxt');
  const schedule = join(where, 'tiny-schedule.json');
  writeFileSync(model, tinyPrototxt);
  writeFileSync(schedule, JSON.stringify(tinySchedule));
  return { model, schedule };
}
