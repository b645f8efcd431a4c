import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../src/frontends/onnx/schema.js';
import { classify, signature } from '../../src/fuzz/classify.js';
import { Chooser, mutateJsonText, mutatePng } from '../../src/fuzz/mutate.js';
import { mutateOnnxModel } from '../../src/fuzz/onnx.js';
import { fuzz, plan, replayCommand } from '../../src/fuzz/run.js';
import { buildCase, targets } from '../../src/fuzz/targets.js';

describe('fuzz cases', () => {
  it('are re-created exactly from their name', () => {
    for (const t of targets)
      for (const i of [0, 1, 17]) {
        const a = buildCase(t, 3, i);
        const b = buildCase(t, 3, i);
        expect(b.args).toEqual(a.args);
        expect(b.files.map((f) => f.name)).toEqual(a.files.map((f) => f.name));
        b.files.forEach((f, k) => {
          expect(Buffer.compare(f.data, a.files[k]!.data)).toBe(0);
        });
      }
  });

  it('change the seed input, and differ from case to case', () => {
    const seedModel = new Uint8Array(readFileSync('../shared/networks/onnx/resnet18.shape.onnx'));
    const outputs = new Set<string>();
    let decodable = 0;
    for (let i = 0; i < 50; i++) {
      const m = mutateOnnxModel(new Chooser(i), seedModel)!;
      expect(Buffer.compare(m, seedModel)).not.toBe(0);
      outputs.add(Buffer.from(m).toString('base64'));
      // structure-aware edits keep the protobuf well-formed: the frontend's own schema still decodes it
      decodeModel(m);
      decodable++;
    }
    expect(decodable).toBe(50);
    expect(outputs.size).toBeGreaterThan(40);
  });

  it('keep PNG chunk checksums valid (bar a few) so the decoder is reached', () => {
    const png = new Uint8Array(readFileSync('../shared/networks/caffe/simple/lena_20x20.png'));
    let decoded = 0;
    let crc = 0;
    for (let i = 0; i < 40; i++) {
      try {
        PNG.sync.read(Buffer.from(mutatePng(new Chooser(i), png)));
        decoded++;
      } catch (e) {
        if (/crc/i.test((e as Error).message)) crc++;
      }
    }
    expect(decoded).toBeGreaterThan(0);
    expect(crc).toBeLessThan(10);
  });

  it('nest JSON deeper than JSON.stringify could', () => {
    const texts = Array.from({ length: 200 }, (_, i) =>
      new TextDecoder().decode(mutateJsonText(new Chooser(i), '{"a":[1,2],"b":{"c":"d"}}')),
    );
    expect(texts.some((t) => t.includes('['.repeat(1000)))).toBe(true);
  });
});

describe('verdicts', () => {
  const run = (code: number | undefined, stderr: string, created: string[] = []) =>
    classify({ code, stderr, created });

  it('accept exit 0 and one error line with exit 2', () => {
    expect(run(0, '')).toBe('exit 0');
    expect(run(2, "memsched: error: m.onnx: node 'c': unsupported operator 'LSTM'\n")).toBe('exit 2');
  });

  it('reject everything else', () => {
    expect(run(2, 'memsched: error: s.json: not valid JSON: Unexpected token\n"x": NaN\n')).toBe(
      'exit 2, not one line',
    );
    expect(run(2, 'memsched: error: bad\n', ['out'])).toBe('output left on exit 2');
    expect(run(1, 'memsched: internal error: Cannot read properties of undefined\n')).toBe('internal error');
    expect(run(1, 'TypeError: x is undefined\n    at f (file:///a/b.js:3:9)\n')).toBe('stack trace');
    expect(run(undefined, '')).toBe('crash');
    expect(classify({ code: undefined, stderr: '', created: [], killed: 'timeout' })).toBe('timeout');
    expect(run(3, '')).toBe('other exit code');
  });

  it('group failures by cause, not by file name or number', () => {
    expect(signature('exit 2, not one line', "memsched: error: a.json: point 12 of 'x'\n")).toBe(
      signature('exit 2, not one line', "memsched: error: b.json: point 7 of 'y'\n"),
    );
  });
});

describe('the fixed-seed slice', () => {
  it('ends every case in exit 0 or a one-line exit 2', async () => {
    const cases = plan(300, targets);
    const results = await fuzz(cases, 1, 2, { timeoutMs: 30_000, memoryMiB: 1536 });
    expect(results).toHaveLength(cases.length);
    for (const t of targets) expect(results.some((r) => r.target === t.name)).toBe(true);
    const failures = results
      .filter((r) => r.outcome !== 'exit 0' && r.outcome !== 'exit 2')
      .map((r) => `${r.outcome}: ${replayCommand(r.target, 1, r.index)}`);
    expect(failures).toEqual([]);
    // both verdicts are reached: the mutations are neither all rejected nor all harmless
    expect(results.filter((r) => r.outcome === 'exit 0').length).toBeGreaterThan(30);
    expect(results.filter((r) => r.outcome === 'exit 2').length).toBeGreaterThan(100);
  }, 120_000);
});
