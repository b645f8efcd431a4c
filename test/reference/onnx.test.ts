import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnnxFixture } from '../../src/bench/reference.js';

// VDSR (about a minute) runs only in the benchmark, src/bench/reference.ts.
const dir = path.resolve(process.cwd(), '../shared/networks/onnx');

describe('reference inference against PyTorch (ONNX fixtures)', () => {
  for (const fixture of ['squeezenet1_1', 'mobilenet_v2', 'resnet18']) {
    it(`${fixture}: max |error| <= 1e-4 * max |output|`, async () => {
      const r = await runOnnxFixture(fixture, dir);
      expect(r.maxRef).toBeGreaterThan(0);
      // Measured: relative errors of 1e-7 .. 1e-6 (float32 rounding only).
      expect(r.relative).toBeLessThan(1e-5);
      expect(r.ok).toBe(true);
    });
  }
});
